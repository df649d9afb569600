import { httpHandler } from '../lib/http/handler';
import { ingestQuery } from '../lib/http/schemas';
import { runIngest } from '../lib/pipeline/tasks';

/** POST /ingest — loads DATASET_PATH into the index (tweet fields only; stored tags are kept). */
export const handler = httpHandler({
  input: ingestQuery,
  source: 'query+body',
  run: async (q, ctx) => {
    let lastLog = Date.now();
    const who = { holder: ctx.requestId, description: `POST /ingest (request ${ctx.requestId})` };
    const summary = await runIngest({ force: q.force }, who, (p) => {
      if (Date.now() - lastLog < 5000) return;
      lastLog = Date.now();
      ctx.log.info('ingest progress', { ...p });
    });
    ctx.log.info('ingest run', { records: summary.records, indexed: summary.indexed, took_ms: summary.took_ms });
    return { body: summary };
  },
});
