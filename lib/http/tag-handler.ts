import { config } from '../config';
import type { Task } from '../domain';
import { runTag } from '../pipeline/tasks';
import type { TagParams } from '../pipeline/tag';
import { httpHandler } from './handler';
import { jobParams, startJob } from './job-handlers';
import { tagQuery, type TagInput } from './schemas';

/** Validated /emotion|/stance input (or the CLI's) → pipeline parameters; `limit` falls back to DEFAULT_TAG_LIMIT. */
export function tagParams(input: TagInput): TagParams {
  return {
    limit: input.limit ?? config().defaultTagLimit,
    startMs: input.start_date,
    endMs: input.end_date,
    force: input.force,
  };
}

/** POST (or GET) /emotion and /stance: same parameters, same answer, different model. */
export function tagHandler(task: Task) {
  return httpHandler({
    input: tagQuery(),
    source: 'query+body',
    run: async (q, ctx) => {
      if (q.async) return startJob(task, jobParams(q, config().defaultTagLimit));
      // Long calls report progress in the server log (with the request id), at most every 5 s.
      let lastLog = Date.now();
      const who = { holder: ctx.requestId, description: `POST /${task} (request ${ctx.requestId})` };
      const summary = await runTag(task, tagParams(q), who, (p) => {
        if (Date.now() - lastLog < 5000 && p.done < p.total) return;
        lastLog = Date.now();
        ctx.log.info(`${task} progress`, { ...p });
      });
      ctx.log.info(`${task} run`, {
        classified: summary.classified,
        remaining: summary.remaining,
        took_ms: summary.took_ms,
      });
      return { body: summary };
    },
  });
}
