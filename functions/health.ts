import { config } from '../lib/config';
import { elasticsearchProblem } from '../lib/http/error-mapping';
import { httpHandler } from '../lib/http/handler';
import { modelFilesStatus } from '../lib/models/files';
import { describeCluster, esProblem, tweetStore } from '../lib/store';

/** Per check: a frozen node (accepts, never answers) must not hang /health beyond this. */
const CHECK_TIMEOUT_MS = 1500;

class NoAnswer extends Error {}

/** The check's result, or a NoAnswer rejection once `ms` have passed. */
function within<T>(ms: number, check: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

async function elasticsearchStatus(cfg: ReturnType<typeof config>) {
  const where = { url: cfg.es.url, index: cfg.es.index };
  try {
    const [cluster, s] = await within(CHECK_TIMEOUT_MS, Promise.all([describeCluster(), tweetStore().stats()]));
    return {
      reachable: true,
      ...where,
      node: cluster.node,
      cluster: cluster.cluster,
      version: cluster.version,
      index_exists: s.exists,
      docs: s.count,
    };
  } catch (error) {
    const kind = esProblem(error);
    const problem =
      error instanceof NoAnswer
        ? error.message
        : kind === 'auth'
          ? 'authentication failed'
          : kind === 'tls'
            ? 'TLS handshake failed'
            : 'not reachable';
    return { reachable: false, ...where, problem, hint: elasticsearchProblem(kind ?? 'down').details };
  }
}

async function modelsStatus(cfg: ReturnType<typeof config>) {
  try {
    return await within(CHECK_TIMEOUT_MS, modelFilesStatus(cfg));
  } catch (error) {
    const missing = { present: false, problem: `model files check: ${(error as Error).message}` };
    return { emotion: { ...missing, path: cfg.emotion.dir }, stance: { ...missing, path: cfg.stance.path } };
  }
}

/**
 * GET /health — 200 while Elasticsearch answers (models missing or a red cluster = "degraded"), 503 when it does not;
 * names the node that answered and the cluster's status.
 * Checks run side by side, each bounded, so the answer comes within ~2 s and names what did not answer.
 */
export const handler = httpHandler({
  access: 'public', // liveness probes (compose, Kubernetes) carry no key
  run: async () => {
    const cfg = config();
    const [elasticsearch, models] = await Promise.all([elasticsearchStatus(cfg), modelsStatus(cfg)]);
    const modelsOk = models.emotion.present && models.stance.present;
    // A red cluster answers, but some tweets are unreadable (a primary shard is lost): not ok.
    const clusterOk = 'cluster' in elasticsearch && elasticsearch.cluster.status !== 'red';
    const status = !elasticsearch.reachable ? 'down' : modelsOk && clusterOk ? 'ok' : 'degraded';
    return { statusCode: elasticsearch.reachable ? 200 : 503, body: { status, elasticsearch, models } };
  },
});
