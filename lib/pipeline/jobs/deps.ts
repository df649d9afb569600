import type { IngestSummary, Task } from '../../domain';
import type { Logger } from '../../logger';
import type { Classifier } from '../../models/types';
import type { JobStore, LeaseHolder, LeaseStore, TweetStore } from '../../store';
import type { IngestProgress } from '../ingest';
import type { JobInvoker } from './invoker';

/** Everything the job service and worker use; production wiring in ./wiring, in-memory parts in unit tests. */
export interface JobDeps {
  jobs: JobStore;
  leases: LeaseStore;
  store: TweetStore;
  invoker: JobInvoker;
  loadClassifier: (task: Task) => Promise<Classifier<Task>>;
  ingest: (
    options: { force: boolean },
    who: LeaseHolder,
    onProgress: (p: IngestProgress) => void,
  ) => Promise<IngestSummary>;
  /** Brings the index up to date with the file before tagging (cheap when unchanged). */
  ensureIngested: (who: LeaseHolder) => Promise<IngestSummary | undefined>;
  /** EMOTION_LANGS (default: every language is tagged). */
  emotionLangs?: string[];
  /** How long one worker invocation works before handing over to the next. */
  sliceMs: number;
  stallMs: number;
  now: () => Date;
  log: Logger;
}
