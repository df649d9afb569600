import { errors as esErrors } from '@elastic/elasticsearch';
import { config } from '../config';
import { DependencyUnavailableError } from '../errors';

/**
 * What went wrong talking to Elasticsearch, in the terms a user acts on:
 * - `auth`: the cluster refused the credentials (401); `forbidden`: they lack a privilege (403);
 * - `tls`: the TLS handshake failed (an untrusted or mismatched certificate, a wrong fingerprint);
 * - `busy`: the cluster pushes back (429) or a shard is not available for a moment (503), worth retrying;
 * - `down`: no node answered (refused, reset, dropped mid-request, timed out, or a gateway 502/504), worth retrying.
 */
export type EsProblem = 'auth' | 'forbidden' | 'tls' | 'busy' | 'down';

const TLS_MESSAGE =
  /certificate|self[- ]signed|\bSSL\b|\bTLS\b|ERR_TLS|CERT_|fingerprint|issuer|EPROTO|wrong version number|handshake/i;

export function esProblem(error: unknown): EsProblem | undefined {
  if (error instanceof esErrors.ResponseError) {
    const status = error.statusCode ?? 0;
    if (status === 401) return 'auth';
    if (status === 403) return 'forbidden';
    if (status === 429 || status === 503) return 'busy';
    if (status === 502 || status === 504) return 'down';
    return undefined;
  }
  if (error instanceof esErrors.ConnectionError || error instanceof esErrors.NoLivingConnectionsError) {
    return TLS_MESSAGE.test(error.message) ? 'tls' : 'down';
  }
  if (error instanceof esErrors.TimeoutError) return 'down';
  // The connection dropped mid-request (a node killed or cut off); the app never aborts a request itself.
  if (error instanceof esErrors.RequestAbortedError) return 'down';
  return undefined;
}

/**
 * Worth trying again after a pause: the cluster may heal (a replica promoted, a node back). Auth and TLS never
 * do; a timeout is not repeated (the client already sent it to the next node; a frozen node must not hold a
 * request path beyond its deadline).
 */
export const isTransient = (error: unknown): boolean => {
  const problem = esProblem(error);
  return (problem === 'busy' || problem === 'down') && !(error instanceof esErrors.TimeoutError);
};

/** Elasticsearch cannot be used: down, frozen, overloaded, or refusing our credentials or certificate. */
export function isElasticsearchDown(error: unknown): boolean {
  return esProblem(error) !== undefined;
}

const where = () => {
  try {
    return config().es.url;
  } catch {
    return 'ES_URL'; // config errors are reported elsewhere
  }
};

const DOWN_HINT =
  'Start it (`npm run es:start`, or `docker compose up -d elasticsearch`) or point ES_URL at a running node, then retry.';

/** The 503 every caller answers when Elasticsearch cannot be used; auth and TLS name the setting to look at. */
export function elasticsearchUnavailable(problem: EsProblem = 'down'): DependencyUnavailableError {
  const url = where();
  switch (problem) {
    case 'auth':
      return new DependencyUnavailableError(
        'elasticsearch',
        `Elasticsearch at ${url} refused the credentials: authentication failed.`,
        'Authentication failed: check ES_API_KEY (the base64 "id:api_key" the create API key call returns as "encoded"), or ES_USERNAME and ES_PASSWORD.',
      );
    case 'forbidden':
      return new DependencyUnavailableError(
        'elasticsearch',
        `Elasticsearch at ${url} accepted the credentials but refused the request: a privilege is missing.`,
        'Give the API key or user the privileges read, write, create_index, manage and view_index_metadata on the ES_INDEX* indices, and monitor on the cluster.',
      );
    case 'tls':
      return new DependencyUnavailableError(
        'elasticsearch',
        `The TLS connection to Elasticsearch at ${url} failed: its certificate is not trusted.`,
        'TLS: set ES_CA_CERT to the PEM file of the CA that signed the cluster certificate (config/certs/http_ca.crt on a default ES 8 install), or ES_CA_FINGERPRINT to its SHA-256 fingerprint; check the host name in ES_URL matches the certificate.',
      );
    case 'busy':
    case 'down':
      return new DependencyUnavailableError('elasticsearch', `Elasticsearch is not reachable at ${url}.`, DOWN_HINT);
  }
}

/** A request Elasticsearch answered with an error (a query it rejects): its type and reason, for a job's record. */
export function elasticsearchRefusal(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof esErrors.ResponseError)) return undefined;
  const cause = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  const what = [cause?.type, cause?.reason].filter(Boolean).join(': ') || error.message;
  return { code: 'elasticsearch_error', message: `Elasticsearch refused a request (${error.statusCode}): ${what}` };
}
