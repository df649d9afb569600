import { z } from 'zod';
import { MethodNotAllowedError, NotFoundError } from '../lib/errors';
import { httpHandler } from '../lib/http/handler';
import { allowedMethods } from '../lib/http/openapi';

/**
 * Catch-all route: a known path with a method it does not have answers 405 with an Allow header; anything
 * else a JSON 404 instead of the server's default page. The routes come from the OpenAPI document.
 */
export const handler = httpHandler({
  input: z.object({}).passthrough(),
  run: async (_input, _ctx, event) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? '/';
    const allow = allowedMethods(path);
    if (allow.length)
      throw new MethodNotAllowedError(`${path} does not answer ${method}; it answers ${allow.join(', ')}.`, allow);
    throw new NotFoundError(`No route for ${method} ${path}. See GET /docs for the API.`);
  },
});
