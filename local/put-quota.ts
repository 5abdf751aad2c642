// An optional Direct PUT throughput quota (MiB/s), so producers can test their retries: over the quota, records
// fail in PutRecordBatch with ServiceUnavailableException "Slow down.", as they do on a real stream.

export class PutQuota {
  private available: number;
  private refilledAt = Date.now();

  /** Allows `bytesPerSecond` on average, with bursts of one second's worth. */
  constructor(private readonly bytesPerSecond: number) {
    this.available = bytesPerSecond;
  }

  /** Takes `bytes` from the quota; false when the record must be refused. */
  take(bytes: number): boolean {
    const now = Date.now();
    this.available = Math.min(
      this.bytesPerSecond,
      this.available + ((now - this.refilledAt) / 1000) * this.bytesPerSecond,
    );
    this.refilledAt = now;
    if (bytes > this.available) return false;
    this.available -= bytes;
    return true;
  }
}
