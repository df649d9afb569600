import type { WriteResult } from '../store';

export interface BulkWriterOptions {
  /** Flush when this many items (as countOf counts them) are buffered. */
  maxItems: number;
  /** ...or when they are about this many bytes (as JSON). */
  maxBytes: number;
  /** ...or when the oldest buffered item waited this long: slow models still write (and so keep) their work. */
  maxAgeMs: number;
  /** Bulk requests under way at once; adding beyond that waits (back-pressure). */
  maxInFlight: number;
  sizeOf: (item: unknown) => number;
  /** Items an added element stands for (a batch of documents counts its documents). */
  countOf: (item: unknown) => number;
}

const DEFAULTS: BulkWriterOptions = {
  maxItems: 1000,
  maxBytes: 5 * 1024 * 1024,
  maxAgeMs: 2000,
  maxInFlight: 1,
  sizeOf: () => 1024, // a rough size: measuring each item as JSON would cost more than the write
  countOf: () => 1,
};

/**
 * Buffers items and writes them in bulk requests sized by count and bytes, not by the model's batch, while the
 * caller goes on (inference overlaps the writes). The first failed request is rethrown by the next add or flush.
 */
export class BulkWriter<I> {
  readonly result: WriteResult = { written: 0, failed: [] };
  writeMs = 0;
  waitMs = 0;
  private buffer: I[] = [];
  private bytes = 0;
  private count = 0;
  private oldest = 0;
  private inFlight = new Set<Promise<void>>();
  private error?: Error;
  private readonly options: BulkWriterOptions;

  constructor(
    private readonly write: (items: I[]) => Promise<WriteResult>,
    options: Partial<BulkWriterOptions> = {},
    private readonly onWritten?: (result: WriteResult) => void,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async add(items: I[]): Promise<void> {
    this.rethrow();
    if (this.buffer.length === 0) this.oldest = performance.now();
    for (const item of items) {
      this.buffer.push(item);
      this.bytes += this.options.sizeOf(item);
      this.count += this.options.countOf(item);
    }
    const full = this.count >= this.options.maxItems || this.bytes >= this.options.maxBytes;
    if (full || performance.now() - this.oldest >= this.options.maxAgeMs) await this.send();
  }

  /** Writes what is buffered and waits for every request under way. */
  async flush(): Promise<void> {
    if (this.buffer.length) await this.send();
    await this.waitFor(0);
    this.rethrow();
  }

  private async send(): Promise<void> {
    await this.waitFor(this.options.maxInFlight - 1);
    this.rethrow();
    const items = this.buffer;
    this.buffer = [];
    this.bytes = 0;
    this.count = 0;
    const t0 = performance.now();
    const request = this.write(items).then(
      (r) => {
        this.result.written += r.written;
        this.result.failed.push(...r.failed);
        this.onWritten?.(r);
      },
      (error: unknown) => void (this.error ??= error instanceof Error ? error : new Error(String(error))),
    );
    const tracked = request.finally(() => {
      this.writeMs += performance.now() - t0;
      this.inFlight.delete(tracked);
    });
    this.inFlight.add(tracked);
  }

  private async waitFor(atMost: number): Promise<void> {
    const t0 = performance.now();
    while (this.inFlight.size > atMost) await Promise.race(this.inFlight);
    this.waitMs += performance.now() - t0;
  }

  private rethrow() {
    if (this.error) throw this.error;
  }
}
