import { AppError, MethodNotAllowedError } from '../errors';
import { config, ConfigError } from '../config';
import { esProblem, type EsProblem } from '../store';

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
  const problem = esProblem(error);
  if (problem) return elasticsearchProblem(problem);
  return {
    status: 500,
    code: 'internal_error',
    message: 'An unexpected error occurred; the request id locates it in the logs.',
  };
}

const where = () => {
  try {
    return config().es.url;
  } catch {
    return 'ES_URL'; // config errors are reported elsewhere
  }
};

const unavailable = (message: string, hint: string): HttpError => ({
  status: 503,
  code: 'elasticsearch_unavailable',
  message,
  details: { dependency: 'elasticsearch', hint },
});

/** Auth and TLS problems say which setting to look at; a busy or absent cluster says how to get one. */
export function elasticsearchProblem(problem: EsProblem): HttpError {
  switch (problem) {
    case 'auth':
      return unavailable(
        `Elasticsearch at ${where()} refused the credentials: authentication failed.`,
        'Authentication failed: check ES_API_KEY (the base64 "id:api_key" the create API key call returns as "encoded"), or ES_USERNAME and ES_PASSWORD.',
      );
    case 'forbidden':
      return unavailable(
        `Elasticsearch at ${where()} accepted the credentials but refused the request: a privilege is missing.`,
        'Give the API key or user the privileges read, write, create_index, manage and view_index_metadata on the ES_INDEX* indices, and monitor on the cluster.',
      );
    case 'tls':
      return unavailable(
        `The TLS connection to Elasticsearch at ${where()} failed: its certificate is not trusted.`,
        'TLS: set ES_CA_CERT to the PEM file of the CA that signed the cluster certificate (config/certs/http_ca.crt on a default ES 8 install), or ES_CA_FINGERPRINT to its SHA-256 fingerprint; check the host name in ES_URL matches the certificate.',
      );
    case 'busy':
    case 'down':
      return elasticsearchDown();
  }
}

export function elasticsearchDown(): HttpError {
  const url = where();
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
