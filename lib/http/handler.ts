import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z, type ZodType } from 'zod';
import { FunctionTimeoutError } from '../errors';
import { withScope } from '../process-guard';
import { apiKeyAuth, type Access } from './auth';
import {
  errorResponse,
  jsonResponse,
  requestContext,
  validateInput,
  type HttpContext,
  type HttpEvent,
  type HttpResult,
  type InputSource,
  type Middleware,
} from './middleware';

const noInput = z.object({}).strict();

export interface HttpHandlerSpec<S extends ZodType> {
  /** Validates the query string (and the JSON body with `query+body`); unknown parameters are rejected. */
  input?: S;
  source?: InputSource;
  /** `public`: open even when API_KEY is set (only /health and the pages that then ask for the key). */
  access?: Access;
  /** Run before validation (e.g. taking an uploaded file out of the body). */
  before?: Middleware[];
  run: (input: z.output<S>, ctx: HttpContext, event: HttpEvent) => Promise<HttpResult>;
}

/**
 * One Lambda handler = one `run` function wrapped in the shared middleware chain. Order matters:
 * context first (request id for every log), errors mapped last so they catch everything, the API key
 * before the input (a caller without the key learns nothing about the parameters).
 */
export function httpHandler<S extends ZodType = typeof noInput>(spec: HttpHandlerSpec<S>) {
  const schema = (spec.input ?? noInput) as S;
  const handler = middy<HttpEvent, APIGatewayProxyStructuredResultV2 | HttpResult, Error, HttpContext>({
    // A function deadline that still arrives answers a named 504 (errorResponse maps it), not a bare 500.
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new FunctionTimeoutError();
    },
  })
    .use(requestContext())
    .use(errorResponse())
    .use(jsonResponse())
    .use(apiKeyAuth(spec.access))
    .use(spec.before ?? [])
    .use(validateInput(schema, spec.source ?? 'query'))
    .handler(async (event, context) => spec.run(event.input as z.output<S>, context, event));
  // Each invocation runs in its own scope, so an error that escapes it is logged with its request id.
  return (event: HttpEvent, context: Context) =>
    withScope({ fn: context?.functionName }, () => handler(event, context as HttpContext));
}

/** How long before the function's deadline a still-running handler gives up and answers 504. */
const TIMEOUT_MARGIN_MS = 500;
