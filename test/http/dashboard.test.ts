/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Stats } from '../../lib/domain';
import { launchBrowser } from '../support/browser';
import { deleteIndex } from '../support/es';
import { API_PORT, FIXTURE_MODELS_ENV, FIXTURES, ROOT, SHARED_DATASET } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';

// The dashboard in a real headless Chromium against the real API: empty index first, then the page's own
// buttons ingest and tag (fixture models), then charts, filters and a screenshot.
// The screenshot is the README's (docs/dashboard.png), and the page's header shows the index name: so this test
// runs on a fixed, clean name that no developer's data uses (not testIndex's `test-dashboard-<pid>-<time>`),
// deleted before (a killed earlier run may have left it) and after. TEST_DASHBOARD_INDEX overrides it.
const index = process.env.TEST_DASHBOARD_INDEX ?? 'tweets-demo';
const dataset = fs.existsSync(SHARED_DATASET) ? SHARED_DATASET : FIXTURES.sample; // the exercise's 100 tweets when present
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const PORT = Number(process.env.TEST_DASHBOARD_PORT ?? API_PORT + 20);
let server: OfflineServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  await deleteIndex(index);
  server = await startOffline(
    {
      ES_INDEX: index,
      DATASET_PATH: dataset,
      ...FIXTURE_MODELS_ENV,
      LOG_LEVEL: 'warn',
    },
    PORT,
  );
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} ${m.location()?.url ?? ''}`));
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await deleteIndex(index);
  await deleteIndex(`${index}-leases`); // the page's ingest took a lease
});

const visible = (selector: string) =>
  page.$eval(selector, (el) => !(el as HTMLElement).hidden && (el as HTMLElement).offsetParent !== null);
const rows = () =>
  page.$$eval('#tweets-table tbody tr', (trs) =>
    trs.map((tr) => Array.from(tr.children, (td) => td.textContent ?? '')),
  );
/** Shapes ECharts drew into a chart's SVG (a chart with no data draws none). */
const shapes = (id: string) => page.$eval(`#${id}`, (el) => el.querySelectorAll('svg path, svg rect').length);
const renders = () => page.$eval('body', (b) => Number(b.dataset.renders ?? 0));
async function afterRender(action: () => Promise<unknown>) {
  const before = await renders();
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, { timeout: 90_000 }, before);
}

describe('dashboard in headless Chromium', () => {
  it('shows the empty state on an empty index', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]');
    expect(await visible('#empty')).toBe(true);
    expect(await visible('#charts')).toBe(false);
    expect(await rows()).toEqual([]);
    // This API has jobs (GET /jobs in its OpenAPI document): the section shows, with none yet.
    expect(await visible('#jobs')).toBe(true);
    expect(await page.$eval('#jobs-list', (el) => el.textContent)).toMatch(/^No job yet/);
  });

  it('ingests and tags with its buttons, then draws every chart and fills the table', async () => {
    await afterRender(() => page.click('#btn-ingest'));
    await afterRender(() => page.click('#btn-emotion'));
    await afterRender(() => page.click('#btn-stance'));
    expect(await page.$eval('#work', (el) => el.textContent)).toMatch(/^Stance tagging: \d+ classified, 0 remaining$/);
    expect(await visible('#empty')).toBe(false);
    for (const id of ['chart-emotion', 'chart-stance', 'chart-matrix', 'chart-timeline', 'chart-hashtags']) {
      expect([id, await shapes(id)]).toEqual([id, expect.any(Number)]);
      expect(await shapes(id)).toBeGreaterThan(3);
    }
    expect(await rows()).toHaveLength(20);
    expect(await page.$$eval('#provenance tbody tr', (trs) => trs.length)).toBeGreaterThanOrEqual(2);
    expect(await page.$eval('#health', (el) => el.textContent)).toMatch(new RegExp(`· index ${index} · \\d+ docs$`));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('filters the table (and the charts) by emotion, and pages by cursor', async () => {
    const stats = (await (await fetch(`${server.url}/stats`)).json()) as Stats;
    const [label, count] = Object.entries(stats.emotion as Record<string, number>).find(
      ([, n]) => n > 0 && n < stats.total,
    )!;
    await afterRender(() =>
      page.select('select[name=emotion]', label).then(() => page.click('#filters button[type=submit]')),
    );
    expect(await page.$eval('#tweets-total', (el) => el.textContent)).toBe(`${count} matching`);
    const shown = await rows();
    expect(shown.length).toBe(Math.min(count, 20));
    expect(shown.every((r) => r[4]!.startsWith(`${label} `))).toBe(true);
    await afterRender(() => page.click('#filters button[type=reset]'));
    const first = (await rows())[0];
    await page.click('#next');
    await page.waitForFunction(
      (t) => document.querySelector('#tweets-table tbody td:nth-child(3)')?.textContent !== t,
      {},
      first![2],
    );
    expect(await page.$eval('#page', (el) => el.textContent)).toBe('page 2');
  });

  it('serves the same page at /dashboard, and logs no console error', async () => {
    const res = await fetch(`${server.url}/dashboard`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('/dashboard/echarts.min.js');
    expect((await fetch(`${server.url}/dashboard/nope.js`)).status).toBe(404);
    expect(problems).toEqual([]);
  });
});
