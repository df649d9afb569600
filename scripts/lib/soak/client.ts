/**
 * The random client's HTTP side: one request, the checks every answer must pass (no 5xx, JSON where JSON is due,
 * the documented shape, only the statuses a valid call may get), and the tally the summary prints.
 */
import type { ZodType } from 'zod';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  json: Json;
  text: string;
  headers: Headers;
}

export interface Violation {
  step: number;
  call: string;
  message: string;
}

/** What a call may answer besides its success status: 409 with one of these codes (overlapping work). */
export interface Expect {
  ok: number[];
  conflicts?: string[];
  /** The success body's documented shape (a domain schema). */
  schema?: ZodType;
  /** A file download instead of JSON: its content type must start with this. */
  file?: string;
  /** Another answer a valid call may get (e.g. an export of more rows than one answer holds). */
  alsoOk?: (answer: Answer) => boolean;
}

export const TASK_BUSY = ['task_busy'];

/** Counts per route and status, the trace of calls, and the violations found. */
export class Tally {
  readonly calls = new Map<string, number>();
  readonly statuses = new Map<string, number>();
  readonly violations: Violation[] = [];
  readonly trace: string[] = [];
  /** Answers allowed but worth saying (a /health 503 under load that the next try answers 200). */
  readonly notes: string[] = [];
  readonly t0 = Date.now();
  step = 0;

  /** Seconds since the run started, for the trace. */
  at(): string {
    return ((Date.now() - this.t0) / 1000).toFixed(1);
  }

  violation(call: string, message: string): void {
    this.violations.push({ step: this.step, call, message });
    this.trace.push(`  !! ${message}`);
  }

  count(route: string, status: number | string): void {
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);
    const key = `${route} → ${status}`;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }
}

/** Route name for the tally: the path template, with the export format kept apart. */
function routeOf(method: string, path: string): string {
  const [p, query = ''] = path.split('?');
  const template = p!.replace(/\/jobs\/[^/]+/, '/jobs/{id}');
  const format = /(?:^|&)format=(csv|ndjson)/.exec(query)?.[1];
  return `${method} ${template}${format ? `?format=${format}` : ''}`;
}

export class SoakClient {
  constructor(
    readonly baseUrl: string,
    readonly tally: Tally = new Tally(),
    readonly timeoutMs = 180_000,
  ) {}

  /** Sends one request; `undefined` when nothing answered (the server is down), which is itself a violation. */
  async send(method: string, path: string, body?: unknown): Promise<Answer | undefined> {
    const call = `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`;
    this.tally.trace.push(`[${this.tally.step}] ${this.tally.at()}s ${call}`);
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      let json: Json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text, headers: res.headers };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      this.tally.count(routeOf(method, path), 'no answer');
      this.tally.violation(call, `no answer (${cause})`);
      return undefined;
    }
  }

  /** A request whose answer must be one of `expect`; answers the success body, or undefined. */
  async call(method: string, path: string, body: unknown, expect: Expect): Promise<Answer | undefined> {
    const answer = await this.send(method, path, body);
    if (!answer) return undefined;
    const call = `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`;
    this.tally.count(routeOf(method, path), answer.status);
    const problem = answerProblem(answer, expect);
    this.tally.trace.push(
      `    → ${answer.status} ${answer.json?.error?.code ?? ''} at ${this.tally.at()}s ${call.slice(0, 60)}`,
    );
    if (problem) {
      this.tally.violation(call, `${problem}: ${answer.status} ${answer.text.slice(0, 400)}`);
      return undefined;
    }
    return answer;
  }
}

function answerProblem(answer: Answer, expect: Expect): string | undefined {
  const type = answer.headers.get('content-type') ?? '';
  if (expect.file && expect.ok.includes(answer.status)) {
    return type.startsWith(expect.file) ? undefined : `an export answered content-type "${type}"`;
  }
  const json = answer.json !== undefined && type.startsWith('application/json');
  if (json && expect.alsoOk?.(answer)) return undefined;
  if (answer.status >= 500) return 'a valid call got a server error';
  if (!json) return `not JSON (content-type "${type}")`;
  if (answer.status === 409) {
    const code = answer.json?.error?.code;
    return expect.conflicts?.includes(code) ? undefined : `409 ${code} is not an answer this call may get`;
  }
  if (!expect.ok.includes(answer.status)) return `a valid call was refused (expected ${expect.ok.join('/')})`;
  if (expect.schema) {
    const parsed = expect.schema.safeParse(answer.json);
    if (!parsed.success)
      return `the answer does not match its documented shape (${parsed.error.message.slice(0, 300)})`;
  }
  return undefined;
}
