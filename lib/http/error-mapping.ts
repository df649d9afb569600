import { errors as esErrors } from '@elastic/elasticsearch';
import { AppError, MethodNotAllowedError, UnauthorizedError } from '../errors';
import { config, ConfigError } from '../config';

export interface HttpError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** Maps any thrown value to what the client may see. Raw exception texts stay in the logs. */
export function toHttpError(error: Error): HttpError {
  if (error instanceof MethodNotAllowedError) {
    const { status, code, message, details } = error;
    return { status, code, message, details, headers: { allow: error.allow.join(', ') } };
  }
  if (error instanceof UnauthorizedError) {
    const { status, code, message, details } = error;
    return { status, code, message, details, headers: { 'www-authenticate': 'Bearer' } };
  }
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof ConfigError) {
    return { status: 503, code: 'config_invalid', message: error.message };
  }
  if (
    error instanceof esErrors.ConnectionError ||
    error instanceof esErrors.TimeoutError ||
    error instanceof esErrors.NoLivingConnectionsError ||
    (error instanceof esErrors.ResponseError && [502, 503, 504].includes(error.statusCode ?? 0))
  ) {
    return elasticsearchDown();
  }
  return {
    status: 500,
    code: 'internal_error',
    message: 'An unexpected error occurred; the request id locates it in the logs.',
  };
}

export function elasticsearchDown(): HttpError {
  let url = 'ES_URL';
  try {
    url = config().es.url;
  } catch {
    /* config errors are reported elsewhere */
  }
  return {
    status: 503,
    code: 'elasticsearch_unavailable',
    message: `Elasticsearch is not reachable at ${url}.`,
    details: {
      dependency: 'elasticsearch',
      hint: 'Start it (`npm run es:start`, or `docker compose up -d elasticsearch`) or point ES_URL at a running node, then retry.',
    },
  };
}
