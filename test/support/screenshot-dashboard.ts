/**
 * Screenshots a running dashboard in headless Chromium, for the README:
 *   npx tsx test/support/screenshot-dashboard.ts <page url> <out.png> [status to wait for, e.g. RED]
 * Fails if the page throws a script error.
 */
import { launchChromium } from './chromium.ts';

const [url, out, status] = process.argv.slice(2);
if (!url || !out) {
  process.stderr.write('usage: screenshot-dashboard.ts <page url> <out.png> [GREEN|AMBER|RED]\n');
  process.exit(2);
}
const browser = await launchChromium({ deviceScaleFactor: 0.7 });
try {
  const page = await browser.page();
  await page.setViewportSize({ width: 1400, height: 1500 });
  await page.goto(url);
  await page.locator('#model-status', { hasText: status ? new RegExp(`^${status}$`) : /\w/ }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, scale: 'device' });
  if (browser.errors.length) throw new Error(`script errors on the page: ${browser.errors.join('; ')}`);
  process.stderr.write(`wrote ${out}\n`);
} finally {
  await browser.close();
}
