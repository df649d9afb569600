import { NotFoundError } from '../lib/errors';
import { httpHandler } from '../lib/http/handler';
import { z } from 'zod';

/** Catch-all route: any unknown path or method answers a JSON 404 instead of the server's default page. */
export const handler = httpHandler({
  input: z.object({}).passthrough(),
  run: async (_input, _ctx, event) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    throw new NotFoundError(`No route for ${method} ${event.rawPath ?? '/'}. See GET /docs for the API.`);
  },
});
