import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../lib/errors';
import { httpHandler } from '../lib/http/handler';
import type { HttpResult } from '../lib/http/middleware';

// Swagger UI's files come from the swagger-ui-dist package (kept out of the bundle), not a CDN,
// so the page works offline.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};
const assetDir = () => path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Political-Tweets ETL — API docs</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });</script>
</body></html>`;

/** GET /docs (the page) and GET /docs/{file} (its two static assets). */
export const handler = httpHandler({
  access: 'public', // the Swagger UI shell holds no data; its Authorize button sends the key to the API
  run: async (_input, _ctx, event): Promise<HttpResult> => {
    const file = event.pathParameters?.file;
    if (!file) return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
    const type = ASSETS[file];
    if (!type) throw new NotFoundError(`No docs asset named ${file}`);
    const body = await fs.promises.readFile(path.join(assetDir(), file), 'utf8');
    return { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' }, body };
  },
});
