import { randomUUID } from 'node:crypto';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ZodType } from 'zod';
import { BadRequestError, type FieldProblem } from '../errors';
import { createLogger, type Logger } from '../logger';
import { currentScope } from '../process-guard';
import { toHttpError } from './error-mapping';

export interface HttpContext extends Context {
  requestId: string;
  log: Logger;
}

/** What a handler returns: JSON by default, or a string body with its own content type. */
export interface HttpResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type HttpEvent = APIGatewayProxyEventV2 & { input?: unknown };
type HttpRequest = Request<HttpEvent, APIGatewayProxyStructuredResultV2 | HttpResult, Error, HttpContext>;
export type Middleware = MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2 | HttpResult, Error, HttpContext>;

/** Letters, digits and `._:-`, up to 128: safe to log and echo; anything else is replaced, not trusted. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id`, when it is a sane one, so its logs and ours share one id. */
export function incomingRequestId(headers: Record<string, string | undefined> | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'x-request-id');
  const value = entry?.[1]?.trim();
  return value && REQUEST_ID.test(value) ? value : undefined;
}

/** A request id (the caller's, else the invocation's, else API Gateway's, else generated) and a logger that carries it. */
export function requestContext(): Middleware {
  const started = new WeakMap<object, number>();
  return {
    before: (request) => {
      // awsRequestId is unique per invocation (offline's requestContext.requestId is a constant).
      const requestId =
        incomingRequestId(request.event.headers) ||
        request.context.awsRequestId ||
        request.event.requestContext?.requestId ||
        randomUUID();
      request.context.requestId = requestId;
      const scope = currentScope();
      if (scope) scope.request_id = requestId;
      request.context.log = createLogger({ request_id: requestId, fn: request.context.functionName });
      started.set(request, Date.now());
      // One line per answered request (below), not two: under load the log write is part of every request's cost.
      request.context.log.debug('request', {
        method: request.event.requestContext?.http?.method,
        path: request.event.rawPath,
      });
    },
    after: (request) => {
      const status = (request.response as { statusCode?: number } | null)?.statusCode ?? 200;
      request.context.log.info('response', {
        method: request.event.requestContext?.http?.method,
        path: request.event.rawPath,
        query: request.event.queryStringParameters ?? {},
        status,
        ms: Date.now() - (started.get(request) ?? Date.now()),
      });
    },
  };
}

/** Where a handler's input comes from: the query string, both (query and a JSON body), or a JSON body only. */
export type InputSource = 'query' | 'query+body' | 'body';

const notAnObject = () =>
  new BadRequestError('The request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]);

function parseBody(event: HttpEvent): Record<string, unknown> {
  if (event.body === undefined || event.body === null) {
    // A body of `null` reaches the handler as no body at all; its length tells them apart.
    const length = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-length')?.[1];
    if (Number(length) > 0) throw notAnObject();
    return {};
  }
  // serverless-offline hands over a JSON body it could parse as that value (`false`, `3`, an object), not text.
  const body: unknown = event.body;
  if (typeof body !== 'string') return jsonObject(body);
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError('The request body is not valid JSON', [
      { field: 'body', message: 'must be a JSON object' },
    ]);
  }
  return jsonObject(parsed);
}

function jsonObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notAnObject();
  return value as Record<string, unknown>;
}

export function zodProblems(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code: string; keys?: string[] }>,
): FieldProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? issue.keys.map((key) => ({ field: key, message: 'is not a known parameter' }))
      : [{ field: issue.path.map(String).join('.') || 'input', message: issue.message }],
  );
}

/**
 * API Gateway joins a repeated parameter's values with commas (`force=true&force=false` → "true,false"), which
 * would then read as one odd value: each parameter must be given once.
 */
function rejectRepeated(rawQuery: string | undefined) {
  if (!rawQuery) return;
  const names = [...new URLSearchParams(rawQuery).keys()];
  const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (repeated.length) {
    const details = repeated.map((field) => ({ field, message: 'must be given once' }));
    throw new BadRequestError(details.map((d) => `${d.field} ${d.message}`).join('; '), details);
  }
}

function queryNotTaken(query: Array<[string, unknown]>) {
  const details = query.map(([field]) => ({ field, message: 'belongs in the JSON body, not the query string' }));
  return new BadRequestError(details.map((d) => `${d.field} ${d.message}`).join('; '), details);
}

function parseOrThrow(schema: ZodType, raw: Record<string, unknown>): unknown {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const details = zodProblems(result.error.issues as never);
    throw new BadRequestError(details.map((d) => `${d.field} ${d.message}`).join('; '), details);
  }
  return result.data;
}

/** Validates query (and JSON body, where allowed) against one zod schema; the result is `event.input`. */
export function validateInput(schema: ZodType, source: InputSource): Middleware {
  return {
    before: (request) => {
      const { event } = request;
      rejectRepeated(event.rawQueryString);
      // An empty query value (`?end_date=`, as an HTML form sends it) means the parameter is not given.
      const query = Object.entries(event.queryStringParameters ?? {}).filter(([, v]) => v !== undefined && v !== '');
      const body = source === 'query' ? {} : parseBody(event);
      if (source === 'body' && query.length) throw queryNotTaken(query);
      const fromQuery = Object.fromEntries(query);
      // Each part must be valid on its own (a bad query value is not hidden by a good body one); the body wins a tie.
      const both = query.length > 0 && Object.keys(body).length > 0;
      for (const part of both ? [fromQuery, body] : []) parseOrThrow(schema, part);
      event.input = parseOrThrow(schema, { ...fromQuery, ...body });
    },
  };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Serialises an HttpResult into an API Gateway response. */
export function jsonResponse(): Middleware {
  return {
    after: (request) => {
      const res = request.response as HttpResult;
      if (!res || 'isBase64Encoded' in res) return;
      const isText = typeof res.body === 'string' && res.headers?.['content-type'];
      request.response = {
        statusCode: res.statusCode ?? 200,
        headers: { ...(isText ? {} : JSON_HEADERS), ...res.headers, 'x-request-id': request.context.requestId },
        body: isText ? (res.body as string) : JSON.stringify(res.body),
      };
    },
  };
}

/** The one place errors become responses: `{error:{code,message,details?,request_id}}`, never a stack. */
export function errorResponse(): Middleware {
  return {
    onError: (request: HttpRequest) => {
      const error = request.error ?? new Error('unknown error');
      const http = toHttpError(error);
      const log = request.context.log ?? createLogger();
      const requestId = request.context.requestId ?? randomUUID();
      // A bug (500) is logged with its stack; a known failure (a dependency down, a timeout) is a warning.
      if (http.status === 500) {
        log.error('unhandled error', { error: error.message, stack: error.stack });
      } else {
        log.warn('request failed', { status: http.status, code: http.code, error: error.message });
      }
      request.response = {
        statusCode: http.status,
        headers: { ...JSON_HEADERS, ...http.headers, 'x-request-id': requestId },
        body: JSON.stringify({
          error: {
            code: http.code,
            message: http.message,
            ...(http.details ? { details: http.details } : {}),
            request_id: requestId,
          },
        }),
      };
    },
  };
}
