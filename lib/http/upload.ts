import type { UploadedBody } from '../dataset';
import { PayloadTooLargeError } from '../errors';
import type { HttpEvent, Middleware } from './middleware';

export type UploadEvent = HttpEvent & { upload?: UploadedBody };

const header = (event: HttpEvent, name: string) =>
  Object.entries(event.headers ?? {})
    .find(([k]) => k.toLowerCase() === name)?.[1]
    ?.toLowerCase() ?? '';

/** The body as bytes, however the gateway handed it over (base64 for binary types, a Buffer in-process). */
function bodyBytes(event: HttpEvent): Buffer {
  const body = event.body as unknown;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body !== 'string') return Buffer.alloc(0);
  return Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A body that is a tweet file: gzip, JSON Lines by type, or a JSON array (a JSON object is the parameters). */
function uploadKind(event: HttpEvent): Omit<UploadedBody, 'bytes'> | undefined {
  if (!event.body) return undefined;
  const type = header(event, 'content-type');
  const gzip = header(event, 'content-encoding').includes('gzip') || /application\/(x-)?gzip/.test(type);
  const lines = /application\/(x-ndjson|jsonl|x-jsonlines)/.test(type);
  const array = !gzip && !lines && bodyBytes(event).subarray(0, 64).toString('utf8').trimStart().startsWith('[');
  return gzip || lines || array ? { gzip, lines } : undefined;
}

/**
 * POST /ingest with a tweet file as its body: the bytes move to `event.upload` (the parameters then come from
 * the query string only). Over `maxBytes`: 413 before anything is written, decided on content-length when given.
 */
export function uploadBody(maxBytes: () => number): Middleware {
  return {
    before: (request) => {
      const event = request.event as UploadEvent;
      const kind = uploadKind(event);
      if (!kind) return;
      const declared = Number(header(event, 'content-length'));
      if (declared > maxBytes()) throw new PayloadTooLargeError(maxBytes(), declared, 'UPLOAD_MAX_BYTES');
      const bytes = bodyBytes(event);
      if (bytes.length > maxBytes()) throw new PayloadTooLargeError(maxBytes(), bytes.length, 'UPLOAD_MAX_BYTES');
      event.upload = { bytes, ...kind };
      event.body = undefined;
    },
  };
}
