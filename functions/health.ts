import { config } from '../lib/config';
import { elasticsearchDown } from '../lib/http/error-mapping';
import { httpHandler } from '../lib/http/handler';
import { modelFilesStatus } from '../lib/models/files';
import { tweetStore } from '../lib/store';

/** GET /health — 200 while Elasticsearch answers (models missing = "degraded"), 503 when it does not. */
export const handler = httpHandler({
  run: async () => {
    const cfg = config();
    const models = await modelFilesStatus(cfg);
    const elasticsearch = await tweetStore()
      .stats()
      .then((s) => ({ reachable: true, url: cfg.es.url, index: cfg.es.index, index_exists: s.exists, docs: s.count }))
      .catch(() => ({ reachable: false, url: cfg.es.url, index: cfg.es.index, hint: elasticsearchDown().details }));
    const modelsOk = models.emotion.present && models.stance.present;
    const status = !elasticsearch.reachable ? 'down' : modelsOk ? 'ok' : 'degraded';
    return { statusCode: elasticsearch.reachable ? 200 : 503, body: { status, elasticsearch, models } };
  },
});
