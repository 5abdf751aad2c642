import * as assert from "node:assert/strict";
import fc from "fast-check";
import { RecordBytes } from "../../local/record-bytes";

describe("local: record bytes (a data buffer's contents)", () => {
  it("holds the records' bytes in order, each with its arrival time and journal segment, across any growth", () => {
    const record = fc.record({
      data: fc.uint8Array({ maxLength: 400, size: "max" }).map((bytes) => Buffer.from(bytes)),
      arrivalMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      segment: fc.integer({ min: 0, max: 0xffffffff }),
      line: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(
      // Up to 600 records of up to 400 bytes: past the first 64 KiB and 256 records, so both grow.
      fc.property(fc.array(record, { maxLength: 600, size: "max" }), (records) => {
        const held = new RecordBytes();
        for (const r of records) held.push(r);
        assert.equal(held.length, records.length);
        assert.deepEqual(held.body(), Buffer.concat(records.map((r) => r.data)));
        assert.deepEqual(
          [...held.records()].map((r) => [Buffer.from(r.data), r.arrivalMs, r.segment, r.line]),
          records.map((r) => [r.data, r.arrivalMs, r.segment, r.line]),
        );
        const { segments, lines } = held.journalPlaces();
        assert.deepEqual(
          [...segments],
          records.map((r) => r.segment),
        );
        assert.deepEqual(
          [...lines],
          records.map((r) => r.line),
        );
      }),
      { numRuns: 40 },
    );
  });

  it("grows towards its size hint and past it only by what a record needs", () => {
    const held = new RecordBytes(100_000);
    const record = { data: Buffer.alloc(30_000, 0x61), arrivalMs: 0, segment: 0, line: 0 };
    for (let i = 0; i < 4; i++) held.push(record);
    // 64 KiB, then the 100,000-byte hint, then exactly the 120,000 bytes four records take (not 200,000).
    assert.equal(held.body().length, 120_000);
    assert.equal(held.body().buffer.byteLength, 120_000);
  });

  it("keeps a record's bytes when the caller reuses its buffer afterwards", () => {
    const held = new RecordBytes();
    const scratch = Buffer.from("first\n");
    held.push({ data: scratch, arrivalMs: 1, segment: 0, line: 0 });
    scratch.write("XXXXX\n");
    held.push({ data: scratch, arrivalMs: 2, segment: 0, line: 0 });
    assert.equal(held.body().toString(), "first\nXXXXX\n");
  });
});
