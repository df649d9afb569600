import {
  cancelJobHandler,
  createJobHandler,
  getJobHandler,
  listJobsHandler,
  resumeJobHandler,
} from '../lib/http/job-handlers';

/** The job resource: one handler per route (see serverless.yml). */
export const create = createJobHandler; // POST /jobs
export const list = listJobsHandler; // GET /jobs
export const get = getJobHandler; // GET /jobs/{id}
export const cancel = cancelJobHandler; // POST /jobs/{id}/cancel
export const resume = resumeJobHandler; // POST /jobs/{id}/resume
