import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../../scripts/bench/generate-tweets';
import { runSoak, type SoakReport } from '../../scripts/lib/soak/driver';
import { formatReport, traceToFirstViolation } from '../../scripts/lib/soak/summary';
import { deleteIndex } from '../support/es';
import { API_PORT, ES_URL, FIXTURE_MODELS_ENV, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';

/**
 * Issue 15's bounded random client against the live API: serverless-offline, real Elasticsearch, fixture models,
 * a generated file of a few thousand tweets (more than a selection page). A fixed seed, printed; `npm run soak`
 * runs the same driver longer, by hand. What it checks is in scripts/lib/soak (driver.ts, final.ts, once.ts).
 */

const PORT = API_PORT + 50; // its lambda port is PORT + 2; other HTTP test files use other offsets
const SEED = Number(process.env.SOAK_SEED ?? 1515);
const STEPS = Number(process.env.SOAK_STEPS ?? 40);
const TWEETS = 2000;
// Stance (a generative model) is far slower per tweet: its final "tag the rest" covers three days, emotion all.
const STANCE_FINAL_RANGE = { start_date: '2025-03-10', end_date: '2025-03-12' };

describe(`random valid calls against the live API (seed ${SEED}, ${STEPS} steps, ${TWEETS} tweets)`, () => {
  const index = testIndex('random-client');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'random-client-'));
  const env = {
    ...FIXTURE_MODELS_ENV,
    LOG_LEVEL: 'warn',
    ES_INDEX: index,
    DATASET_PATH: path.join(dir, 'tweets.json'),
    JOB_SLICE_MS: '400', // jobs re-invoke themselves many times
    JOB_STALL_MS: '30000', // nothing is killed here: a job must never read stalled
  };
  let server: OfflineServer;
  let report: SoakReport;

  beforeAll(async () => {
    await generate(env.DATASET_PATH, TWEETS, false);
    server = await startOffline(env, PORT);
    console.log(`random client: seed ${SEED} (replay: SOAK_SEED=${SEED} SOAK_STEPS=${STEPS})`);
    report = await runSoak({
      url: server.url,
      seed: SEED,
      steps: STEPS,
      es: { url: ES_URL, index },
      logFile: server.logFile,
      jobWaitMs: 40_000,
      finalRanges: { stance: STANCE_FINAL_RANGE },
    });
    console.log(formatReport(report));
  }, 600_000); // a loaded shared machine is slow; a quiet one drives the 40 steps in about a minute

  afterAll(async () => {
    await server?.stop();
    await deleteIndex(index);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the server answered every step, and no answer was a 5xx, not JSON, or a refusal of a valid call', () => {
    expect(report.serverDown).toBe(false);
    expect(report.steps).toBe(STEPS);
    expect({ violations: report.violations, upToFirst: traceToFirstViolation(report) }).toEqual({
      violations: [],
      upToFirst: [],
    });
  });

  it('the invariants hold at the end: paging, /stats totals, remaining 0, nothing classified twice, a clean log', () => {
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(report.invariants.map((i) => i.detail).join('\n')).not.toMatch(/not checked/);
  });

  it('the run exercised every kind of call, some of them two at a time', () => {
    const routes = [
      'POST /ingest',
      'POST /emotion',
      'POST /stance',
      'POST /jobs',
      'POST /jobs/{id}/cancel',
      'POST /jobs/{id}/resume',
      'GET /jobs/{id}',
      'GET /jobs',
      'GET /tweets',
      'GET /tweets?format=csv',
      'GET /tweets?format=ndjson',
      'GET /stats',
    ];
    expect(routes.filter((r) => !report.calls[r])).toEqual([]);
    expect(Object.keys(report.statuses).some((k) => k.endsWith('→ 409'))).toBe(true); // overlapping work met
  });
});
