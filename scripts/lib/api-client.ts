/**
 * The CLI's side of the job API: requests to a running API (API_URL, default http://127.0.0.1:$PORT), with the
 * API's own error message, and a clear hint when nothing answers there.
 */
import { config } from '../../lib/config';
import type { Job } from '../../lib/domain';
import { CliError } from './cli';

export class ApiClient {
  constructor(
    readonly url: string = config().apiUrl,
    private readonly apiKey: string | undefined = config().apiKey,
  ) {}

  async request<T = Job>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new CliError(
        `No API answers at ${this.url}. Start it with \`npm start\` (or set API_URL), or tag in this process with --sync.`,
      );
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { message: string } };
    if (!res.ok) throw new CliError(json.error?.message ?? `${method} ${path} answered ${res.status}`);
    return json as T;
  }

  /** Polls the job until it finishes, calling `onUpdate` with every answer. */
  async follow(id: string, onUpdate: (job: Job) => void, everyMs = 1000): Promise<Job> {
    for (;;) {
      const job = await this.request('GET', `/jobs/${encodeURIComponent(id)}`);
      onUpdate(job);
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
