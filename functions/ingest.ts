import { config } from '../lib/config';
import { httpHandler } from '../lib/http/handler';
import type { HttpContext } from '../lib/http/middleware';
import { ingestQuery } from '../lib/http/schemas';
import { uploadBody, type UploadEvent } from '../lib/http/upload';
import type { IngestProgress } from '../lib/pipeline/ingest';
import { runIngest, runUpload } from '../lib/pipeline/tasks';

/** Long ingests report progress in the server log (with the request id), at most every 5 s. */
function progressLog(ctx: HttpContext) {
  let lastLog = Date.now();
  return (p: IngestProgress) => {
    if (Date.now() - lastLog < 5000) return;
    lastLog = Date.now();
    ctx.log.info('ingest progress', { ...p });
  };
}

/**
 * POST /ingest — loads the new and changed sources of DATASET_PATH (or `path`, one source; `force` re-reads), or,
 * with a tweet file as the body, saves it into the dataset folder and ingests it. Stored tags are kept.
 */
export const handler = httpHandler({
  input: ingestQuery,
  source: 'query+body',
  before: [uploadBody(() => config().uploadMaxBytes)],
  run: async (q, ctx, event) => {
    const who = { holder: ctx.requestId, description: `POST /ingest (request ${ctx.requestId})` };
    const upload = (event as UploadEvent).upload;
    const summary = upload
      ? await runUpload(upload, who, progressLog(ctx))
      : await runIngest({ force: q.force, path: q.path }, who, progressLog(ctx));
    ctx.log.info('ingest run', { records: summary.records, indexed: summary.indexed, took_ms: summary.took_ms });
    return { body: summary };
  },
});
