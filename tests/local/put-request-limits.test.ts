// PutRecord and PutRecordBatch requests at Firehose's limits, with the exact errors the service returns.
import * as assert from "node:assert/strict";
import { rejects, zeros } from "./api-errors";
import {
  batchRecordsOf,
  deliveryStreamNameOf,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  MAX_RECORD_BYTES,
  singleRecordOf,
} from "../../local/put-request";

describe("local: PutRecord and PutRecordBatch limits", () => {
  it("the limits are Firehose's", () => {
    assert.deepEqual([MAX_BATCH_RECORDS, MAX_BATCH_BYTES, MAX_RECORD_BYTES], [500, 4_194_304, 1_024_000]);
  });

  it("takes a stream name of 1 to 64 letters, digits, '_', '.' and '-'", () => {
    for (const name of ["a", "Zz09_.-", "x".repeat(64)]) {
      assert.equal(deliveryStreamNameOf({ DeliveryStreamName: name }), name);
    }
  });

  it("refuses a missing stream name, and one outside the pattern or too long", () => {
    rejects(
      () => deliveryStreamNameOf({}),
      "ValidationException",
      "1 validation error detected: Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null",
    );
    for (const name of ["", "!a", "a!", "a b", "x".repeat(65)]) {
      rejects(
        () => deliveryStreamNameOf({ DeliveryStreamName: name }),
        "ValidationException",
        `1 validation error detected: Value '${name}' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 64`,
      );
    }
  });

  it("refuses a batch without records, with none, or with more than 500", () => {
    rejects(
      () => batchRecordsOf({}),
      "ValidationException",
      "1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null",
    );
    rejects(
      () => batchRecordsOf({ Records: [] }),
      "ValidationException",
      "1 validation error detected: Value '[0 records]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const many = (n: number) => Array.from({ length: n }, () => ({ Data: "QQ==" }));
    rejects(
      () => batchRecordsOf({ Records: many(501) }),
      "ValidationException",
      "1 validation error detected: Value '[501 records]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
    assert.equal(batchRecordsOf({ Records: many(500) }).length, 500);
  });

  it("lists every problem of a batch in one error, numbering records from 1", () => {
    rejects(
      () => batchRecordsOf({ Records: [{ Data: "QQ==" }, null, {}, { Data: zeros(MAX_RECORD_BYTES + 1) }] }),
      "ValidationException",
      "3 validation errors detected: " +
        "Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'records.3.member.data' failed to satisfy constraint: Member must not be null; " +
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'records.4.member.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
  });

  it("takes a record of exactly 1,024,000 bytes and refuses one byte more", () => {
    assert.deepEqual(singleRecordOf({ Record: { Data: zeros(MAX_RECORD_BYTES) } }).bytes, MAX_RECORD_BYTES);
    rejects(
      () => singleRecordOf({ Record: { Data: zeros(MAX_RECORD_BYTES + 1) } }),
      "ValidationException",
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
  });

  it("refuses PutRecord without a record or its data", () => {
    for (const input of [{}, { Record: null }, { Record: { Data: 1 } }]) {
      rejects(
        () => singleRecordOf(input),
        "ValidationException",
        "1 validation error detected: Value null at 'record.data' failed to satisfy constraint: Member must not be null",
      );
    }
  });

  it("takes a batch of exactly 4 MiB and refuses one byte more", () => {
    const full = { Data: zeros(MAX_RECORD_BYTES) };
    const rest = MAX_BATCH_BYTES - 4 * MAX_RECORD_BYTES;
    const exact = [full, full, full, full, { Data: zeros(rest) }];
    assert.equal(
      batchRecordsOf({ Records: exact }).reduce((sum, r) => sum + r.bytes, 0),
      MAX_BATCH_BYTES,
    );
    rejects(
      () => batchRecordsOf({ Records: [...exact.slice(0, 4), { Data: zeros(rest + 1) }] }),
      "InvalidArgumentException",
      "Records size exceeds 4 MB limit",
    );
  });

  it("passes on the canonical text of data whose last character sets bits the padding drops", () => {
    const data = (text: string) => singleRecordOf({ Record: { Data: text } });
    assert.deepEqual(data("QE=="), { base64: "QA==", bytes: 1 });
    assert.deepEqual(data("QUF="), { base64: "QUE=", bytes: 2 });
    assert.deepEqual(data("QUE="), { base64: "QUE=", bytes: 2 });
  });

  it("names where text that is not base64 was sent", () => {
    rejects(
      () => batchRecordsOf({ Records: [{ Data: "QQ==" }, { Data: "QQ=" }] }),
      "SerializationException",
      "Base64 encoded value at 'records.2.member.data' is not valid base64",
    );
  });
});
