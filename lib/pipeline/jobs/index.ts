export { createJob, getJob, listJobs, cancelJob, resumeJob } from './service';
export { runWorker } from './worker';
export { jobDeps } from './wiring';
export type { JobDeps } from './deps';
export type { JobInvoker, WorkerEvent } from './invoker';
