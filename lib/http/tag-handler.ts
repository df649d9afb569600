import { config } from '../config';
import { runTask } from '../pipeline/tasks';
import { tagQuery } from '../schemas';
import type { Task } from '../search';
import { httpHandler } from './handler';

/** POST (or GET) /emotion and /stance: same parameters, same answer, different model. */
export function tagHandler(task: Task) {
  return httpHandler({
    input: tagQuery(),
    source: 'query+body',
    run: async (q, ctx) => {
      const summary = await runTask(task, {
        limit: q.limit ?? config().defaultTagLimit,
        startMs: q.start_date,
        endMs: q.end_date,
        force: q.force,
      });
      ctx.log.info(`${task} run`, { requested: summary.requested, classified: summary.classified, failed: summary.failed.length, took_ms: summary.took_ms });
      return { body: summary };
    },
  });
}
