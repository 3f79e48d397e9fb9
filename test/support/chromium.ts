/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, headless,
 * with a fresh profile per launch and no background network traffic; every
 * page's script errors are collected so that a test can assert there were none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.AEGIS_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A new page; its uncaught script errors land in `errors`. */
  page(): Promise<Page>;
  readonly errors: string[];
  close(): Promise<void>;
}

/** `deviceScaleFactor` below 1 makes smaller screenshots of the same layout. */
export async function launchChromium({ deviceScaleFactor = 1 } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'aegis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor,
  });
  const errors: string[] = [];
  return {
    context,
    errors,
    async page() {
      const page = await context.newPage();
      page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message} (${(err.stack ?? '').split('\n').slice(1, 3).join(' ').trim()})`));
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
