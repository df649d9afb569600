/** The random client's report as text: steps, calls per route, statuses, invariants, violations. */
import type { SoakReport } from './driver';

export function formatReport(r: SoakReport): string {
  const width = Math.max(...Object.keys(r.statuses).map((k) => k.length), 10);
  const lines = [
    `seed ${r.seed}: ${r.steps} steps, ${Object.values(r.calls).reduce((a, b) => a + b, 0)} calls in ${(r.ms / 1000).toFixed(1)} s${r.serverDown ? ' — THE SERVER STOPPED ANSWERING' : ''}`,
    '',
    'calls per route and status:',
    ...Object.entries(r.statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `  ${k.padEnd(width)} ${String(n).padStart(5)}`),
    '',
    'invariants:',
    ...r.invariants.map((i) => `  ${i.ok ? 'ok  ' : 'FAIL'} ${i.name} (${i.detail})`),
  ];
  if (r.notes.length) lines.push('', `notes (${r.notes.length}):`, ...r.notes.slice(0, 20).map((n) => `  ${n}`));
  if (r.violations.length) {
    lines.push('', `violations (${r.violations.length}):`);
    for (const v of r.violations.slice(0, 30)) lines.push(`  step ${v.step}: ${v.call}\n    ${v.message}`);
  }
  lines.push('', r.ok ? 'OK' : `FAILED — replay with --seed ${r.seed} --steps ${r.steps}`);
  return lines.join('\n');
}

/** The calls up to the first violation: the short sequence to reproduce it by hand. */
export function traceToFirstViolation(r: SoakReport): string[] {
  const end = r.trace.findIndex((l) => l.startsWith('  !!'));
  return end < 0 ? [] : r.trace.slice(0, end + 1);
}
