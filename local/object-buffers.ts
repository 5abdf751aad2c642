// Firehose's buffering: one buffer per partition (per error output type for failed records), each becoming one
// S3 object when it reaches the size hint or has been open for the interval hint. The object's prefix is fixed
// when the buffer opens, at its first (oldest) record's arrival time.

export interface BufferLimits {
  readonly sizeBytes: number;
  /** Interval in wall-clock ms (the stack's seconds, scaled by `--time-scale`). */
  readonly intervalMs: number;
}

/** What a buffer holds its items in: an array, or a representation of its own (see record-bytes.ts). */
export interface BufferContents<T> {
  push(item: T): void;
  readonly length: number;
}

export interface ObjectBuffer<C> {
  /** The evaluated prefix of the object this buffer becomes. */
  readonly prefix: string;
  readonly oldestArrivalMs: number;
  readonly openedAt: number;
  readonly items: C;
  bytes: number;
}

export class ObjectBuffers<T, C extends BufferContents<T>> {
  private readonly open = new Map<string, ObjectBuffer<C>>();

  /** `contents()`: an empty container for a buffer that opens. */
  constructor(
    private readonly limits: BufferLimits,
    private readonly contents: () => C,
  ) {}

  /** Buffers open now: Firehose's active partitions. */
  get openCount(): number {
    return this.open.size;
  }

  isOpen(partition: string): boolean {
    return this.open.has(partition);
  }

  /**
   * Adds `item` to the buffer of `partition`, opening it with `prefixOf()` when needed (which may throw: the
   * item is then not added). Returns the buffer when it is now full: it is closed and must be delivered.
   */
  add(
    partition: string,
    item: T,
    bytes: number,
    arrivalMs: number,
    prefixOf: () => string,
  ): ObjectBuffer<C> | undefined {
    let buffer = this.open.get(partition);
    if (!buffer) {
      const prefix = prefixOf();
      buffer = { prefix, oldestArrivalMs: arrivalMs, openedAt: Date.now(), items: this.contents(), bytes: 0 };
      this.open.set(partition, buffer);
    }
    buffer.items.push(item);
    buffer.bytes += bytes;
    if (buffer.bytes < this.limits.sizeBytes) return undefined;
    this.open.delete(partition);
    return buffer;
  }

  /** Closes and returns the buffers open for at least the interval (all of them when `all`). */
  takeDue(now: number, all = false): ObjectBuffer<C>[] {
    const due: ObjectBuffer<C>[] = [];
    for (const [partition, buffer] of this.open) {
      if (all || now - buffer.openedAt >= this.limits.intervalMs) {
        this.open.delete(partition);
        due.push(buffer);
      }
    }
    return due;
  }
}
