import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z, type ZodType } from 'zod';
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
} from './middleware';

const noInput = z.object({}).strict();

export interface HttpHandlerSpec<S extends ZodType> {
  /** Validates the query string (and the JSON body with `query+body`); unknown parameters are rejected. */
  input?: S;
  source?: InputSource;
  /** `public`: open even when API_KEY is set (only /health and the pages that then ask for the key). */
  access?: Access;
  run: (input: z.output<S>, ctx: HttpContext, event: HttpEvent) => Promise<HttpResult>;
}

/**
 * One Lambda handler = one `run` function wrapped in the shared middleware chain. Order matters:
 * context first (request id for every log), errors mapped last so they catch everything, the API key
 * before the input (a caller without the key learns nothing about the parameters).
 */
export function httpHandler<S extends ZodType = typeof noInput>(spec: HttpHandlerSpec<S>) {
  const schema = (spec.input ?? noInput) as S;
  return middy<HttpEvent, APIGatewayProxyStructuredResultV2 | HttpResult, Error, HttpContext>()
    .use(requestContext())
    .use(errorResponse())
    .use(jsonResponse())
    .use(apiKeyAuth(spec.access))
    .use(validateInput(schema, spec.source ?? 'query'))
    .handler(async (event, context) => spec.run(event.input as z.output<S>, context, event));
}
