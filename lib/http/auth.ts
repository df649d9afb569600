import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../config';
import { UnauthorizedError } from '../errors';

/** Who may call a route: `api-key` needs API_KEY when it is set; `public` never does. */
export type Access = 'api-key' | 'public';

const header = (headers: APIGatewayProxyEventV2['headers'] | undefined, name: string) =>
  Object.entries(headers ?? {})
    .find(([key]) => key.toLowerCase() === name)?.[1]
    ?.trim();

/** The key the caller sent: `Authorization: Bearer <key>`, else `x-api-key: <key>`. */
export function presentedKey(headers: APIGatewayProxyEventV2['headers'] | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
  return bearer || header(headers, 'x-api-key') || undefined;
}

/** Constant-time comparison of equal-length digests, so the answer time says nothing about the key. */
const sameKey = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Optional API key (API_KEY). Unset: every route is open, as before. Set: a route needs the key unless it is
 * `public`; a missing or wrong key answers 401 before the input is even validated.
 */
export function apiKeyAuth(access: Access = 'api-key'): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const expected = config().apiKey;
      if (access === 'public' || !expected) return;
      const given = presentedKey(request.event.headers);
      if (!given) {
        throw new UnauthorizedError(
          'This API needs a key: send `Authorization: Bearer <API_KEY>` or `x-api-key: <API_KEY>`.',
        );
      }
      if (!sameKey(given, expected)) throw new UnauthorizedError('The API key is not valid.');
    },
  };
}

/** The OpenAPI side: both ways of sending the key, so Swagger UI shows "Authorize" and sends it on every call. */
export const openApiSecurity = {
  components: {
    securitySchemes: {
      bearerKey: { type: 'http', scheme: 'bearer', description: 'API_KEY as `Authorization: Bearer <key>`' },
      headerKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'API_KEY as `x-api-key: <key>`' },
    },
  },
  // Either scheme is enough. Only enforced when the server has API_KEY set.
  security: [{ bearerKey: [] }, { headerKey: [] }],
};
/** For the operations that stay open with API_KEY set. */
export const noSecurity = { security: [] };
