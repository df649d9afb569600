import { lineReporter } from '../../scripts/lib/download-progress';

describe('plain progress lines (no TTY)', () => {
  it('one line with the size, then one per 10 % step with the rate since the file started', () => {
    const lines: string[] = [];
    let clock = 0;
    const report = lineReporter(
      (l) => lines.push(l),
      () => clock,
    );
    const total = 50_000_000;
    report.onProgress({ file: 'model.gguf', received: 0, total });
    for (let received = 1_000_000; received <= total; received += 1_000_000) {
      clock += 100; // 1 MB per 100 ms = 10 MB/s
      report.onProgress({ file: 'model.gguf', received, total });
    }
    expect(lines[0]).toBe('  model.gguf: downloading 50.0 MB');
    expect(lines.slice(1)).toEqual(
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map(
        (p) => `  model.gguf: ${p}% (${((p / 100) * 50).toFixed(1)}/50.0 MB, 10.0 MB/s)`,
      ),
    );
  });

  it('a file of unknown size gets its start line and no percentages; messages pass through', () => {
    const lines: string[] = [];
    const report = lineReporter((l) => lines.push(l));
    report.onProgress({ file: 'x.bin', received: 10, total: 0 });
    report.log('ready');
    expect(lines).toEqual(['  x.bin: downloading (size unknown)', 'ready']);
  });
});
