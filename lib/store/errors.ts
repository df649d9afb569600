import { errors as esErrors } from '@elastic/elasticsearch';
import { config } from '../config';
import { DependencyUnavailableError } from '../errors';

/** Elasticsearch is down, frozen or overloaded: not reachable, no answer in time, or a 502/503/504. */
export function isElasticsearchDown(error: unknown): boolean {
  return (
    error instanceof esErrors.ConnectionError ||
    error instanceof esErrors.TimeoutError ||
    error instanceof esErrors.NoLivingConnectionsError ||
    (error instanceof esErrors.ResponseError && [502, 503, 504].includes(error.statusCode ?? 0))
  );
}

/** The 503 every caller answers when Elasticsearch is down, with what to do about it. */
export function elasticsearchUnavailable(): DependencyUnavailableError {
  let url = 'ES_URL';
  try {
    url = config().es.url;
  } catch {
    /* config errors are reported elsewhere */
  }
  return new DependencyUnavailableError(
    'elasticsearch',
    `Elasticsearch is not reachable at ${url}.`,
    'Start it (`npm run es:start`, or `docker compose up -d elasticsearch`) or point ES_URL at a running node, then retry.',
  );
}

/** A request Elasticsearch answered with an error (a query it rejects): its type and reason, for a job's record. */
export function elasticsearchRefusal(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof esErrors.ResponseError)) return undefined;
  const cause = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  const what = [cause?.type, cause?.reason].filter(Boolean).join(': ') || error.message;
  return { code: 'elasticsearch_error', message: `Elasticsearch refused a request (${error.statusCode}): ${what}` };
}
