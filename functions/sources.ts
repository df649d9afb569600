import { httpHandler } from '../lib/http/handler';
import { listSources } from '../lib/pipeline/tasks';

/** GET /sources — every source of the dataset ingested so far: fingerprint, figures and outcome of its last ingest. */
export const handler = httpHandler({ run: async () => ({ body: await listSources() }) });
