import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ApiError } from "../../local/api-error";
import { batchRecordsOf, MAX_RECORD_BYTES, singleRecordOf } from "../../local/put-request";
import { coldStart } from "../support/cold-start";

/** What the endpoint did before it kept the text: decode with Buffer.from, check the length, encode again. */
function decodedThenEncoded(data: string): { base64: string; bytes: number } | "invalid" {
  const bytes = Buffer.from(data, "base64");
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  if (data.length % 4 !== 0 || bytes.length !== (data.length / 4) * 3 - padding) return "invalid";
  return { base64: bytes.toString("base64"), bytes: bytes.length };
}

function checked(data: string): { base64: string; bytes: number } | "invalid" {
  try {
    return singleRecordOf({ Record: { Data: data } });
  } catch (err) {
    assert.ok(err instanceof ApiError && err.type === "SerializationException");
    return "invalid";
  }
}

describe("local: PutRecord and PutRecordBatch data", () => {
  it("keeps canonical base64 as it is, with the size of its bytes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 20 }),
        (payloads) => {
          const texts = payloads.map((bytes) => Buffer.from(bytes).toString("base64"));
          const records = batchRecordsOf({ Records: texts.map((Data) => ({ Data })) });
          assert.deepEqual(
            records,
            payloads.map((bytes, i) => ({ base64: texts[i], bytes: bytes.length })),
          );
        },
      ),
    );
  });

  it("accepts exactly the text decoding accepts, and passes on the canonical encoding of its bytes", () => {
    // URL-safe characters, padding anywhere, non-zero bits before the padding, characters outside base64.
    const char = fc.constantFrom(..."AQgw+/-_=. Zz09");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 16 }), (chars) => {
        const data = chars.join("");
        assert.deepEqual(checked(data), decodedThenEncoded(data));
      }),
      { numRuns: 20_000 },
    );
    assert.deepEqual(checked("QR=="), { base64: "QQ==", bytes: 1 });
    assert.deepEqual(checked("-_-_"), { base64: "+/+/", bytes: 3 });
  });

  it("from a fresh start, checks a record whose text fills the initial scratch buffer exactly and ones that outgrow it", () => {
    const fresh = coldStart<{ singleRecordOf: typeof singleRecordOf }>(
      require.resolve("../../local/put-request"),
    );
    // 49,152 bytes are 65,536 base64 characters: the initial 64 KiB exactly.
    for (const size of [49_152, 49_155, 200_000, 3]) {
      const data = Buffer.alloc(size, 7).toString("base64");
      assert.deepEqual(
        fresh.singleRecordOf({ Record: { Data: data } }),
        decodedThenEncoded(data),
        `${size} bytes`,
      );
    }
  });

  it("checks records larger than the scratch buffer, and smaller ones after them", () => {
    for (const size of [200_000, 3, MAX_RECORD_BYTES + 3]) {
      const data = Buffer.alloc(size, 7).toString("base64");
      const expected = decodedThenEncoded(data);
      if (size <= MAX_RECORD_BYTES) assert.deepEqual(checked(data), expected);
      else
        assert.throws(
          () => singleRecordOf({ Record: { Data: data } }),
          /lim=1024003 .* less than or equal to 1024000/,
        );
    }
  });
});
