/**
 * A bounded random client against a live API (`npm run soak`, test/http/random-client.test.ts). From a seed it
 * sends a random mix of valid calls, some two at a time; after every step /health must answer and no answer may be
 * a 5xx, not JSON, or a refusal of a valid call (409 task_busy is fine: that is overlapping work). At the end it
 * waits for its jobs and checks the invariants of issue 15 on the quiet index.
 */
import fc from 'fast-check';
import { SoakClient, Tally, TASK_BUSY, type Answer, type Violation } from './client';
import { checkJob, logInvariant, pagingInvariant, tagTheRest, waitForJobs, type Invariant } from './final';
import { taggedCounts, unforcedInvariant, versionBumps, versionInvariant, type EsTarget } from './once';
import { filterArb, planFor, type Action, type Range, type TagTask } from './plan';
import { exportFile, page, scan, stats } from './reads';
import { SoakState } from './state';
import { cancel, createJob, getJob, ingest, listJobs, resume, tag, type Ctx } from './writes';

export interface SoakOptions {
  url: string;
  seed: number;
  steps: number;
  /** The API's index: enables the document-version check. */
  es?: EsTarget;
  /** The server's log file: enables the "no unhandled rejection" check. */
  logFile?: string;
  /** How long the end waits for the client's jobs (half of it before cancelling them). */
  jobWaitMs?: number;
  /** The range of the final tagging, per task (default: every tweet); and its time budget (default 120 s). */
  finalRanges?: Partial<Record<TagTask, Range>>;
  finalTagMs?: number;
  /** Page size of the final scans. */
  scanLimit?: number;
  onStep?: (step: number, violations: number) => void;
}

export interface SoakReport {
  seed: number;
  steps: number;
  calls: Record<string, number>;
  statuses: Record<string, number>;
  violations: Violation[];
  notes: string[];
  invariants: Invariant[];
  trace: string[];
  serverDown: boolean;
  ms: number;
  ok: boolean;
}

async function act(ctx: Ctx, a: Action): Promise<void> {
  if (a.kind === 'ingest') return ingest(ctx, a);
  if (a.kind === 'tag') return tag(ctx, a);
  if (a.kind === 'job' || a.kind === 'ingestJob') return createJob(ctx, a);
  if (a.kind === 'cancel') return cancel(ctx, a);
  if (a.kind === 'resume') return resume(ctx, a);
  if (a.kind === 'getJob') return getJob(ctx, a);
  if (a.kind === 'listJobs') return listJobs(ctx, a);
  if (a.kind === 'page') return page(ctx, a);
  if (a.kind === 'scan') return void (await scan(ctx, a.sort, a.filter, a.limit));
  if (a.kind === 'stats') return stats(ctx, a);
  return exportFile(ctx, a);
}

/** An action whose checking code throws is a violation too (it names what the client could not read). */
const guarded = (ctx: Ctx, a: Action) =>
  act(ctx, a).catch((error: Error) => ctx.client.tally.violation(a.kind, `client error: ${error.stack}`));

/** The first ingest, retried while another one runs: the run starts on a loaded index. */
async function setUp(ctx: Ctx): Promise<boolean> {
  for (let n = 0; n < 120; n++) {
    const res = await ctx.client.call('POST', '/ingest', undefined, { ok: [200], conflicts: TASK_BUSY });
    if (!res) return false;
    if (res.status === 200) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function finish(ctx: Ctx, o: SoakOptions, before: { bumps: number; tagged?: Record<string, number> }) {
  await waitForJobs(ctx, o.jobWaitMs ?? 60_000);
  for (const job of ctx.state.jobs) await checkJob(ctx, job);
  const rest = await Promise.all(
    (['emotion', 'stance'] as const).map((t) => tagTheRest(ctx, t, o.finalRanges?.[t] ?? {}, o.finalTagMs ?? 120_000)),
  );
  const filters = [{}, ...fc.sample(filterArb, { seed: o.seed + 1, numRuns: 3 })];
  return [
    ...rest,
    await unforcedInvariant(ctx, 'emotion', before.tagged?.emotion ?? 0),
    await unforcedInvariant(ctx, 'stance', before.tagged?.stance ?? 0),
    await versionInvariant(ctx, o.es, before.bumps),
    await pagingInvariant(ctx, filters, o.scanLimit ?? 250),
    logInvariant(o.logFile),
  ];
}

/**
 * /health must answer 200 (Elasticsearch is up). On a loaded machine its 1.5 s check of Elasticsearch can time out
 * (503 "did not answer within 1500 ms"): that is noted, and it must answer 200 within 3 more tries.
 */
async function healthy(ctx: Ctx): Promise<boolean> {
  const slow = (a: Answer) => a.status === 503 && /did not answer within/.test(a.json?.elasticsearch?.problem ?? '');
  for (let n = 0; n < 4; n++) {
    const res = await ctx.client.call('GET', '/health', undefined, { ok: [200], alsoOk: n < 3 ? slow : undefined });
    if (!res) return ctx.client.tally.violations.at(-1)?.message.startsWith('no answer') !== true;
    if (res.status === 200) return true;
    ctx.client.tally.notes.push(`step ${ctx.client.tally.step}: /health 503 (${res.json.elasticsearch.problem})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return true;
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const t0 = Date.now();
  const tally = new Tally();
  const ctx: Ctx = { client: new SoakClient(o.url, tally), state: new SoakState() };
  let serverDown = !(await setUp(ctx));
  const before = { bumps: o.es ? (await versionBumps(o.es)).bumps : 0, tagged: await taggedCounts(ctx) };
  const plan = planFor(o.seed, o.steps);
  let steps = 0;
  for (const step of serverDown ? [] : plan) {
    tally.step = ++steps;
    await Promise.all(step.map((a) => guarded(ctx, a)));
    const up = await healthy(ctx);
    o.onStep?.(steps, tally.violations.length);
    if (!up) {
      serverDown = true;
      break;
    }
  }
  const duringSteps = tally.violations.length;
  const invariants = serverDown ? [] : await finish(ctx, o, before);
  invariants.unshift({
    name: 'every answer during the steps was valid and /health answered',
    ok: duringSteps === 0,
    detail: `${duringSteps} violations in ${steps} steps`,
  });
  if (tally.violations.length > duringSteps) {
    invariants.push({ name: 'the final checks found no violation', ok: false, detail: 'see violations' });
  }
  return {
    seed: o.seed,
    steps,
    calls: Object.fromEntries(tally.calls),
    statuses: Object.fromEntries(tally.statuses),
    violations: tally.violations,
    notes: tally.notes,
    invariants,
    trace: tally.trace,
    serverDown,
    ms: Date.now() - t0,
    ok: !serverDown && invariants.every((i) => i.ok),
  };
}
