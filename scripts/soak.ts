/**
 * npm run soak -- [--steps N] [--seed S] [--log FILE] [--trace FILE] [--skip-es] [--final-tag-s N]
 * The bounded random client (scripts/lib/soak) against a running API: a seeded mix of valid calls, some two at a
 * time, the checks after each step and the invariants at the end. Prints a summary; exit 1 on a violation.
 */
import fs from 'node:fs';
import { config } from '../lib/config';
import { cli, CliError, run } from './lib/cli';
import { runSoak } from './lib/soak/driver';
import { formatReport, traceToFirstViolation } from './lib/soak/summary';

const USAGE = `usage: npm run soak -- [--steps N] [--seed S] [--log FILE] [--trace FILE] [--skip-es] [--final-tag-s N]
  Sends N steps (default 200) of random valid calls, seeded by S (default: random, printed), to the API at
  API_URL (default http://127.0.0.1:$PORT; start it with \`npm start\`), then waits for its jobs, tags the rest and
  checks the invariants (paging, /stats totals, remaining 0, no tweet classified twice). Exit 1 on a violation.
  It writes to the API's index: point it at a test index (ES_INDEX), not at data you keep.
  --log FILE    the server's log: fails on an "unhandled rejection" or "Uncaught" line in it
  --trace FILE  writes every call and answer there (JSON), to replay a failure by hand
  --skip-es     skip the document-version check (it reads ES_URL / ES_INDEX directly)
  --final-tag-s N  time for the final non-forced tagging to reach remaining 0 (default 600; stance is slow)`;

const positiveInt = (flag: string, v: string | undefined, fallback: number) => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2 ** 31 - 1) {
    throw new CliError(`--${flag} must be an integer from 1 to ${2 ** 31 - 1}`);
  }
  return Number(v);
};

async function main() {
  const { values } = cli({
    usage: USAGE,
    options: {
      steps: { type: 'string' },
      seed: { type: 'string' },
      log: { type: 'string' },
      trace: { type: 'string' },
      'skip-es': { type: 'boolean' },
      'final-tag-s': { type: 'string' },
    },
  });
  const steps = positiveInt('steps', values.steps, 200);
  const seed = positiveInt('seed', values.seed, 1 + Math.floor(Math.random() * (2 ** 31 - 2)));
  if (values.log && !fs.existsSync(values.log)) throw new CliError(`--log ${values.log}: no such file`);
  const { apiUrl, es } = config();
  console.log(`soak: ${steps} steps against ${apiUrl}, seed ${seed}`);
  const report = await runSoak({
    url: apiUrl,
    seed,
    steps,
    es: values['skip-es'] ? undefined : { url: es.url, index: es.index },
    logFile: values.log,
    finalTagMs: positiveInt('final-tag-s', values['final-tag-s'], 600) * 1000,
    onStep: (n, violations) => {
      if (n % 25 === 0) console.log(`  step ${n}/${steps}, ${violations} violations`);
    },
  });
  if (values.trace) fs.writeFileSync(values.trace, JSON.stringify(report, null, 2));
  console.log(formatReport(report));
  if (!report.ok) {
    const first = traceToFirstViolation(report);
    if (first.length) console.log(`\ncalls up to the first violation:\n${first.slice(-40).join('\n')}`);
    process.exitCode = 1;
  }
}

run('soak', main);
