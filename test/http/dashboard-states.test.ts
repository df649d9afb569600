/// <reference lib="dom" />
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../support/browser';
import { deleteIndex } from '../support/es';
import { API_PORT, ES_URL, FIXTURES, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';
import { TcpProxy } from '../support/tcp-proxy';

// The dashboard's error states in headless Chromium: model files missing, then Elasticsearch down (a TCP
// proxy in front of the real node, cut by the test).
const index = testIndex('dashboard-states');
const PORT = Number(process.env.TEST_DASHBOARD_STATES_PORT ?? API_PORT + 40);
const es = new URL(ES_URL);
const proxy = new TcpProxy({ host: es.hostname, port: Number(es.port || 9200) });
let server: OfflineServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await proxy.start();
  const missing = '/nonexistent/models';
  server = await startOffline(
    {
      ES_URL: proxy.url,
      ES_INDEX: index,
      DATASET_PATH: FIXTURES.sample,
      EMOTION_MODEL_DIR: missing,
      STANCE_MODEL_PATH: `${missing}/x.gguf`,
    },
    PORT,
  );
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push((e as Error).message));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await proxy.restore().catch(() => undefined);
  await proxy.close();
  await deleteIndex(index);
  await deleteIndex(`${index}-leases`); // the page's ingest took a lease
});

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
async function load() {
  await page.goto(`${server.url}/dashboard`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]');
}

describe('dashboard error states in headless Chromium', () => {
  it('model files missing: a warning with the command to run, tag buttons disabled, data still shown', async () => {
    await load();
    expect(await text('#banner')).toMatch(/^Model files missing for emotion and stance: run `npm run models`/);
    expect(await page.$eval('#btn-emotion', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await page.$eval('#btn-ingest', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await page.$eval('#empty', (el) => (el as HTMLElement).hidden)).toBe(false);
  });

  it('Elasticsearch down: says so, with the hint, and hides the charts and table', async () => {
    await proxy.cut();
    await load();
    expect(await text('#banner')).toMatch(/^Elasticsearch is not reachable at http:\/\/127\.0\.0\.1:\d+\. Start it/);
    expect(await text('#health')).toBe('Elasticsearch down');
    expect(await page.$eval('#charts', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await page.$eval('#tweets', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
