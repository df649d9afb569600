import { errors } from '@elastic/elasticsearch';

/**
 * What went wrong talking to Elasticsearch, in the terms a user acts on:
 * - `auth`: the cluster refused the credentials (401); `forbidden`: they lack a privilege (403);
 * - `tls`: the TLS handshake failed (an untrusted or mismatched certificate, a wrong fingerprint);
 * - `busy`: the cluster pushes back (429) or a shard is not available for a moment (503), worth retrying;
 * - `down`: no node answered (refused, reset, timed out, or a gateway 502/504), worth retrying.
 */
export type EsProblem = 'auth' | 'forbidden' | 'tls' | 'busy' | 'down';

const TLS_MESSAGE =
  /certificate|self[- ]signed|\bSSL\b|\bTLS\b|ERR_TLS|CERT_|fingerprint|issuer|EPROTO|wrong version number|handshake/i;

export function esProblem(error: unknown): EsProblem | undefined {
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    if (status === 401) return 'auth';
    if (status === 403) return 'forbidden';
    if (status === 429 || status === 503) return 'busy';
    if (status === 502 || status === 504) return 'down';
    return undefined;
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
    return TLS_MESSAGE.test(error.message) ? 'tls' : 'down';
  }
  if (error instanceof errors.TimeoutError) return 'down';
  return undefined;
}

/** Worth trying again after a pause: the cluster may heal (a replica promoted, a node back). Auth and TLS never do. */
export const isTransient = (error: unknown): boolean => {
  const problem = esProblem(error);
  return problem === 'busy' || problem === 'down';
};
