import * as assert from "node:assert/strict";
import { RecordBytes } from "../../local/record-bytes";

const arrived = (bytes: number, line = 0) => ({
  data: Buffer.alloc(bytes, 0x62),
  arrivalMs: 0,
  segment: 0,
  line,
});

describe("local: record bytes, how much they hold before they grow", () => {
  it("starts with 64 KiB and keeps it while the records fit exactly", () => {
    const held = new RecordBytes();
    held.push(arrived(1));
    assert.equal(held.body().buffer.byteLength, 64 * 1024);
    held.push(arrived(64 * 1024 - 1));
    assert.equal(held.body().length, 64 * 1024);
    assert.equal(held.body().buffer.byteLength, 64 * 1024);
  });

  it("doubles without a size hint, and takes a larger record whole", () => {
    const held = new RecordBytes();
    held.push(arrived(64 * 1024));
    held.push(arrived(1));
    assert.equal(held.body().buffer.byteLength, 128 * 1024);
    held.push(arrived(300 * 1024));
    assert.equal(held.body().buffer.byteLength, 64 * 1024 + 1 + 300 * 1024);
    assert.equal(held.body().length, 64 * 1024 + 1 + 300 * 1024);
  });

  it("doubles up to its size hint, not past it", () => {
    const held = new RecordBytes(100_000);
    held.push(arrived(64 * 1024 + 1));
    assert.equal(held.body().buffer.byteLength, 100_000);
  });

  it("keeps room for 256 records' journal places, then doubles it", () => {
    const held = new RecordBytes();
    for (let line = 0; line < 256; line++) held.push(arrived(1, line));
    assert.equal(held.journalPlaces().lines.buffer.byteLength, 256 * 4);
    assert.equal(held.journalPlaces().segments.buffer.byteLength, 256 * 4);
    held.push(arrived(1, 256));
    const { segments, lines } = held.journalPlaces();
    assert.equal(lines.buffer.byteLength, 512 * 4);
    assert.equal(segments.buffer.byteLength, 512 * 4);
    assert.equal(held.length, 257);
    assert.deepEqual(
      [...lines],
      Array.from({ length: 257 }, (_, i) => i),
    );
  });
});
