import * as assert from "node:assert/strict";
import { decodeRecordData } from "../../lambda/transform/decode";
import { coldStart } from "../support/cold-start";
import { base64Of } from "./helpers";

function bytesBase64(bytes: number[]): string {
  return Buffer.from(bytes).toString("base64");
}

describe("record decoding", () => {
  it("decodes base64 UTF-8 JSON objects, multi-byte characters included", () => {
    assert.deepEqual(decodeRecordData(base64Of({ city: "Zürich", emoji: "😀", n: 1 })), {
      city: "Zürich",
      emoji: "😀",
      n: 1,
    });
  });

  it("decodes records of any size, before and after one larger than its scratch buffer", () => {
    for (const text of ["ä".repeat(200_000), "x", "€".repeat(10)]) {
      assert.deepEqual(decodeRecordData(base64Of({ text })), { text });
    }
  });

  it("from a cold start, decodes a record whose base64 fills its initial buffer exactly and ones that outgrow it", () => {
    const { decodeRecordData: coldDecode } = coldStart<{ decodeRecordData: typeof decodeRecordData }>(
      require.resolve("../../lambda/transform/decode"),
    );
    // {"t":"…"} is 8 bytes around the text: 49,144 ASCII bytes make 49,152 bytes, whose base64 is 65,536 chars.
    assert.equal(base64Of({ t: "x".repeat(49_144) }).length, 64 * 1024);
    for (const text of ["x".repeat(49_144), "x".repeat(49_145), "x".repeat(100_000), "x"]) {
      assert.deepEqual(coldDecode(base64Of({ t: text })), { t: text }, `${text.length} chars`);
    }
  });

  it("fails invalid UTF-8 instead of replacing it: stray continuation, truncated, overlong, surrogate bytes", () => {
    const quoteWrapped = (inner: number[]): number[] => [
      0x7b,
      0x22,
      0x61,
      0x22,
      0x3a,
      0x22,
      ...inner,
      0x22,
      0x7d,
    ];
    for (const inner of [
      [0x80],
      [0xc3],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
    ]) {
      assert.equal(decodeRecordData(bytesBase64(quoteWrapped(inner))), "invalid_utf8", JSON.stringify(inner));
    }
  });

  it("accepts a leading UTF-8 byte order mark (skipped, as the WHATWG decoder does)", () => {
    assert.deepEqual(decodeRecordData(bytesBase64([0xef, 0xbb, 0xbf, ...Buffer.from('{"a":1}')])), { a: 1 });
  });

  it("fails text that is not JSON, and JSON that is not an object", () => {
    assert.equal(decodeRecordData(base64Of("Hello World")), "invalid_json");
    assert.equal(decodeRecordData(base64Of('{"a":1}{"b":2}')), "invalid_json");
    assert.equal(decodeRecordData(base64Of("")), "invalid_json");
    for (const text of ["[1,2]", '"text"', "42", "null", "true"]) {
      assert.equal(decodeRecordData(base64Of(text)), "not_an_object", text);
    }
  });

  it("fails a record without data", () => {
    assert.equal(decodeRecordData(undefined), "missing_data");
    assert.equal(decodeRecordData(42), "missing_data");
  });

  it("keeps __proto__ as an ordinary own key without touching prototypes", () => {
    const record = decodeRecordData(base64Of('{"__proto__":{"polluted":true},"a":1}'));
    assert.ok(typeof record === "object");
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(Object.keys(record), ["__proto__", "a"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("decodes deep nesting without throwing", () => {
    const depth = 5000;
    const record = decodeRecordData(base64Of(`{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`));
    assert.ok(typeof record === "object");
  });

  describe("numbers a double cannot hold", () => {
    const cases: [string, boolean][] = [
      ["9007199254740991", true],
      ["9007199254740992", true],
      ["9007199254740993", false],
      ["-9007199254740993", false],
      ["12345678901234567890", false],
      ["1152921504606846976", false],
      ["9007199254740992e3", true],
      ["1e21", true],
      ["9.007199254740993e15", false],
      ["9007199254740993.0", false],
      ["9007199254740992.5", false],
      ["1e400", false],
      ["-1e400", false],
      ["1.7976931348623157e308", true],
      ["1.7976931348623159e308", false],
      ["1e23", true],
      ["100000000000000000000000", true],
      ["1.5E+300", true],
      ["2e308", false],
      ["0.1", true],
      ["0.30000000000000000000001", true],
      ["1e-400", true],
      ["123456789012345.678", true],
    ];
    for (const [token, kept] of cases) {
      it(`${token} is ${kept ? "kept" : "failed"}`, () => {
        const result = decodeRecordData(base64Of(`{"s":"12345678901234567890","n":[{"x":${token}}]}`));
        if (kept) assert.equal(typeof result, "object");
        else assert.equal(result, "number_precision");
      });
    }

    it("ignores long digit runs inside strings and keys", () => {
      const text =
        '{"12345678901234567890":"12345678901234567890\\"99999999999999999999","big":9007199254740992}';
      assert.equal(typeof decodeRecordData(base64Of(text)), "object");
    });
  });
});
