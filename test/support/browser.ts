import fs from 'node:fs';
import type { Browser } from 'puppeteer-core';

/** Debian's chromium package (scripts/test.sh installs it): browser downloads are not possible here. */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!found)
    throw new Error('No chromium found: `npm test` installs it (apt-get install chromium), or set CHROMIUM_PATH.');
  return found;
}

/** puppeteer-core is ESM only: imported dynamically (jest runs with --experimental-vm-modules, as npm test does). */
export async function launchBrowser(): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // root in a container: no user namespaces for the sandbox; /dev/shm may be small
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--window-size=1400,1000'],
    defaultViewport: { width: 1400, height: 1000 },
  });
}
