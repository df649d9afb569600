import { AppError, MethodNotAllowedError } from '../errors';
import { ConfigError } from '../config';
import { elasticsearchUnavailable, isElasticsearchDown } from '../store/errors';

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
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof ConfigError) {
    return { status: 503, code: 'config_invalid', message: error.message };
  }
  if (isElasticsearchDown(error)) return elasticsearchDown();
  return {
    status: 500,
    code: 'internal_error',
    message: 'An unexpected error occurred; the request id locates it in the logs.',
  };
}

export function elasticsearchDown(): HttpError {
  const { status, code, message, details } = elasticsearchUnavailable();
  return { status, code, message, details };
}
