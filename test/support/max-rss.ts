/**
 * Preloaded into a child process (`node --import ./test/support/max-rss.ts`):
 * writes the process's peak resident memory, in bytes, to the file named by
 * AEGIS_TEST_MAX_RSS_FILE when it exits, so a test can bound a command's memory.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.AEGIS_TEST_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
