import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { httpHandler } from '../lib/http/handler';
import type { HttpResult } from '../lib/http/middleware';

// Every file the page loads is served from here: the page's own files from public/dashboard, ECharts from
// its npm package (kept out of the bundle). No CDN, so the dashboard works offline.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const pageDir = () => path.join(projectRoot(), 'public', 'dashboard');
const FILES: Record<string, () => string> = {
  'index.html': () => path.join(pageDir(), 'index.html'),
  'app.js': () => path.join(pageDir(), 'app.js'),
  'charts.js': () => path.join(pageDir(), 'charts.js'),
  'app.css': () => path.join(pageDir(), 'app.css'),
  'echarts.min.js': () => path.join(path.dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.min.js'),
};

/** GET / and GET /dashboard (the page), GET /dashboard/{file} (its scripts and style). */
export const handler = httpHandler({
  access: 'public', // a browser loads the page before it can ask for the key; data calls need it
  run: async (_input, _ctx, event): Promise<HttpResult> => {
    const name = event.pathParameters?.file ?? 'index.html';
    const file = FILES[name];
    if (!file) throw new NotFoundError(`No dashboard file named ${name}`);
    const body = await fs.promises.readFile(file(), 'utf8');
    const cache = name === 'echarts.min.js' ? 'public, max-age=86400' : 'no-cache';
    return { headers: { 'content-type': TYPES[path.extname(name)]!, 'cache-control': cache }, body };
  },
});
