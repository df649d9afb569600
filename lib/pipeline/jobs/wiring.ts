import { config } from '../../config';
import { logger } from '../../logger';
import { jobStore, leaseStore, tweetStore } from '../../store';
import { classifiers, ensureIngested, runIngest } from '../tasks';
import type { JobDeps } from './deps';
import { LambdaInvoker } from './invoker';

let deps: JobDeps | undefined;
/** The production job wiring: Elasticsearch stores, the Lambda invoker, the configured models and file. */
export function jobDeps(): JobDeps {
  const cfg = config();
  deps ??= {
    jobs: jobStore(),
    leases: leaseStore(),
    store: tweetStore(),
    invoker: new LambdaInvoker(cfg.jobs.workerFunction, cfg.jobs.lambdaEndpoint),
    loadClassifier: (task) => classifiers[task](),
    ingest: runIngest,
    ensureIngested,
    emotionLangs: cfg.emotionLangs,
    sliceMs: cfg.jobs.sliceMs,
    stallMs: cfg.jobs.stallMs,
    now: () => new Date(),
    log: logger.child({ fn: 'jobs' }),
  };
  return deps;
}
