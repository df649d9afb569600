/**
 * One row per measured figure: ours, the anchor measured in the same run, and the ratio. Every bench prints its
 * rows as a table and as one `BENCH_ROWS <json>` line, which `npm run bench` (all.ts) collects into one table.
 */
export interface BenchRow {
  what: string;
  ours: number;
  anchor: number;
  anchorName: string;
  /** Rates (docs/s, req/s): ratio = ours / anchor. Times (ms, s): ratio = anchor / ours. Either way > 1 is better. */
  higherIsBetter: boolean;
  /** Free text: the figures behind the row (p99s, both anchors...). */
  note?: string;
}

export const ROWS_MARKER = 'BENCH_ROWS ';

/** ≥ 1 means ours is at least as good as the anchor. */
export const ratioOf = (r: BenchRow) => (r.higherIsBetter ? r.ours / r.anchor : r.anchor / r.ours);

const figure = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));

export function rowsTable(rows: BenchRow[]): string {
  const lines = [
    '| what | ours | anchor (same run) | anchor | ratio (>1 = ours better) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const note = r.note ? ` (${r.note})` : '';
    lines.push(
      `| ${r.what} | ${figure(r.ours)} | ${r.anchorName}${note} | ${figure(r.anchor)} | ${ratioOf(r).toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}

export function printRows(rows: BenchRow[]): void {
  if (!rows.length) return;
  console.log(`\n${rowsTable(rows)}`);
  console.log(`${ROWS_MARKER}${JSON.stringify(rows)}`);
}
