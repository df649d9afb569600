import { runTask, tagParams } from '../pipeline/tasks';
import { tagQuery } from '../schemas';
import type { Task } from '../search';
import { httpHandler } from './handler';

/** POST (or GET) /emotion and /stance: same parameters, same answer, different model. */
export function tagHandler(task: Task) {
  return httpHandler({
    input: tagQuery(),
    source: 'query+body',
    run: async (q, ctx) => {
      // Long calls report progress in the server log (with the request id), at most every 5 s.
      let lastLog = Date.now();
      const summary = await runTask(
        task,
        tagParams(q),
        (p) => {
          if (Date.now() - lastLog < 5000 && p.done < p.total) return;
          lastLog = Date.now();
          ctx.log.info(`${task} progress`, { ...p });
        },
      );
      ctx.log.info(`${task} run`, { requested: summary.requested, classified: summary.classified, failed: summary.failed.length, took_ms: summary.took_ms });
      return { body: summary };
    },
  });
}
