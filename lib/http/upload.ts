import type { UploadedBody } from '../dataset';
import { AppError, PayloadTooLargeError } from '../errors';
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

const isGzip = (bytes: Buffer) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * A body that is a tweet file: declared gzip, JSON Lines or binary by its headers, or a JSON array (a JSON object
 * is the parameters). Whether it is compressed is read from its first bytes, like the reader does.
 */
function uploadKind(event: HttpEvent): { declaredGzip: boolean; lines: boolean } | undefined {
  if (!event.body) return undefined;
  const type = header(event, 'content-type');
  const declaredGzip = header(event, 'content-encoding').includes('gzip') || /application\/(x-)?gzip/.test(type);
  const lines = /application\/(x-ndjson|jsonl|x-jsonlines)/.test(type);
  const binary = type.includes('application/octet-stream');
  const array = bodyBytes(event).subarray(0, 64).toString('utf8').trimStart().startsWith('[');
  return declaredGzip || lines || binary || array ? { declaredGzip, lines } : undefined;
}

/** Declared gzip, but the gateway handed it over as text: the bytes are lost, and saying so beats a corrupt file. */
const garbled = () =>
  new AppError(
    415,
    'upload_garbled',
    'The gzip body arrived decoded as text, so its bytes are lost. serverless-offline passes only ' +
      'application/octet-stream bodies as binary: send gzip with content-type application/octet-stream ' +
      '(content-encoding: gzip may stay). API Gateway passes every binary body intact.',
  );

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
      const text = typeof event.body === 'string' && !event.isBase64Encoded;
      if (kind.declaredGzip && !isGzip(bytes) && text && bytes.subarray(0, 8).includes('\ufffd')) throw garbled();
      event.upload = { bytes, gzip: isGzip(bytes), lines: kind.lines };
      event.body = ''; // taken: no JSON parameters left to validate (not `null`, which is a bad JSON body)
    },
  };
}
