import { httpHandler } from '../lib/http/handler';
import { openApiSpec } from '../lib/http/openapi';

/** GET /openapi.json — generated from the request schemas the middleware validates with. */
export const handler = httpHandler({
  access: 'public', // Swagger UI reads it before Authorize; it describes the API, holds no data
  run: async (_input, _ctx, event) => {
    const host = event.headers?.host;
    return { body: openApiSpec(host ? `http://${host}` : undefined) };
  },
});
