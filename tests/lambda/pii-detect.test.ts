import * as assert from "node:assert/strict";
import { JsonObject } from "../../lambda/transform/json";
import {
  detectPii,
  looksLikeCard,
  looksLikeEmail,
  looksLikePhone,
  luhnValid,
  PII_DETECTORS,
  PiiDetectedCounts,
  PiiDetectSettings,
} from "../../lambda/transform/pii-detect";
import { createDigester } from "../../lambda/transform/pseudonym";
import { hmacPseudonym, TEST_KEY } from "./helpers";

const digest = createDigester({ mode: "hmac-sha256", key: TEST_KEY, hexLength: 32 });
const ALL: PiiDetectSettings = { detectors: PII_DETECTORS, action: "mask" };

function assertEach(test: (text: string) => boolean, expected: boolean, values: readonly string[]): void {
  for (const value of values) assert.equal(test(value), expected, JSON.stringify(value));
}

describe("PII detectors", () => {
  it("email: addresses anywhere in a string, strictly shaped", () => {
    assertEach(looksLikeEmail, true, [
      "jane@example.com",
      "mail me: Jane.Doe+tag@sub.example.co.uk.",
      "_dev%ops-1@example.io",
      "jane@xn--80ak6aa92e.xn--p1ai",
      "<JANE@EXAMPLE.COM>",
      "git@github.com:org/repo",
      // A hyphenated label after the first one, and a two-letter domain followed by punctuation.
      "jane@mail.my-company.com",
      "write to jane@example.io, thanks",
    ]);
    assertEach(looksLikeEmail, false, [
      "pkg@1.2.3",
      "a@localhost",
      "@scope/pkg",
      "x@y.z",
      "a@b-.com",
      "a@-b.com",
      "jane(at)example.com",
      "https://example.com/@jane",
      `${"a".repeat(65)}@example.com`,
    ]);
  });

  it("phone: whole values, international with + or national with separators", () => {
    assertEach(looksLikePhone, true, [
      "+1 555 123 4567",
      "+4930123456",
      "+1 (555) 123-4567",
      "+49 (0)30 1234567",
      "+44.20.7946.0958",
      "555-123-4567",
      "(555) 123-4567",
      "(555)123-4567",
      "01 23 45 67 89",
      "020 7946 0958",
      // An international number inside free text: the free-text leak the end-to-end test found.
      "call +1 555 123 4567",
      "+1 555 123 4567 ext 2",
      "reach me at +44 20 7946 0958 after six",
      // E.164's bounds exactly: 8 and 15 digits.
      "+12345678",
      "+123456789012345",
      "+49(0)30123456",
      "(555) 123 45 67",
      "0123 456 789",
      // A country or trunk prefix before the parenthesised area code.
      "1 (555) 123-4567",
      "1(555)123-4567",
    ]);
    assertEach(looksLikePhone, false, [
      "2025-11-25",
      "2025-11-25T13:45:10Z",
      "13:45:10.123",
      "1764078310000",
      "1234567890",
      "12.5",
      "3.14159265358",
      "1.234.567.890",
      "912 345 678",
      "192.168.100.10",
      "+1234567",
      "+1234567890123456",
      "1-800-FLOWERS",
      "call 555 123 4567",
      "score +12 points",
      "v+1.2.3",
      "a+4930123456",
      "555--123--4567",
      "u-123",
      "+1 234 567",
      "+1234567(89",
      "1 234 567 890",
      "12 345 678 901",
      "1234 (555) 123-4567",
    ]);
  });

  it("card: 13-19 digits starting 2-6, spaces or dashes allowed, anywhere in a string, Luhn-valid", () => {
    assertEach(looksLikeCard, true, [
      "4111111111111111",
      "4111 1111 1111 1111",
      "4111-1111-1111-1111",
      "paid with 4111 1111 1111 1111, thanks",
      "378282246310005",
      "5555555555554444",
      "6011111111111117",
      "4222222222222",
      "2223000048400011",
      // After a character that is not a letter, digit, `_` or `.`, even with a digit before it.
      "ref 7/4111111111111111",
    ]);
    assertEach(looksLikeCard, false, [
      "4111111111111112",
      "1764078310000",
      "1790000000000000000",
      "7111111111111111",
      "id4111111111111111",
      "4111111111111111x",
      "4111111111111111111111",
      "0.4111111111111111",
      "6011111111111117.5",
      "4111  1111 1111 1111",
      "550e8400-e29b-41d4-a716-446655440000",
      "1 4111 1111 1111 1111",
      "1-4111111111111111",
      "411111111111",
    ]);
  });

  it("Luhn: the standard check digits", () => {
    assert.equal(luhnValid("79927398713"), true);
    for (const wrong of ["79927398710", "79927398711", "79927398712", "79927398714"])
      assert.equal(luhnValid(wrong), false);
    assert.equal(luhnValid("4111111111111111"), true);
    assert.equal(luhnValid("0"), true);
  });
});

function scanned(
  record: JsonObject,
  settings: PiiDetectSettings = ALL,
): { record: JsonObject; failed: boolean; counts: PiiDetectedCounts } {
  const counts: PiiDetectedCounts = {};
  const failed = detectPii(record, settings, digest, counts);
  return { record, failed, counts };
}

describe("PII detection in a record", () => {
  it("mask: replaces matching values at any depth by <key>_hash_<hex> and counts each by detector", () => {
    const { record, failed, counts } = scanned({
      note: "write to jane@example.com",
      Contact: { Phone: "+1 555 123 4567", tags: ["ok", ["4111 1111 1111 1111"]] },
      list: [{ deep: [[{ mail: "bob@example.org" }]] }],
      ts: "2025-11-25T13:45:10Z",
      id: "550e8400-e29b-41d4-a716-446655440000",
      flag: true,
      nothing: null,
    });
    assert.equal(failed, false);
    assert.deepEqual(record, {
      note: hmacPseudonym("note", "write to jane@example.com"),
      Contact: {
        Phone: hmacPseudonym("phone", "+1 555 123 4567"),
        tags: ["ok", [hmacPseudonym("tags", "4111 1111 1111 1111")]],
      },
      list: [{ deep: [[{ mail: hmacPseudonym("mail", "bob@example.org") }]] }],
      ts: "2025-11-25T13:45:10Z",
      id: "550e8400-e29b-41d4-a716-446655440000",
      flag: true,
      nothing: null,
    });
    assert.deepEqual(counts, { email: 2, phone: 1, card: 1 });
  });

  it("runs only the enabled detectors", () => {
    const record = { a: "jane@example.com", b: "+1 555 123 4567", c: "4111111111111111" };
    const { record: out, counts } = scanned({ ...record }, { detectors: ["phone"], action: "mask" });
    assert.deepEqual(out, { ...record, b: hmacPseudonym("b", "+1 555 123 4567") });
    assert.deepEqual(counts, { phone: 1 });
  });

  it("checks integer JSON numbers as cards only", () => {
    const { record, counts } = scanned({ n: 4111111111111111, ms: 1764078310000, small: 5555, x: 4.5 });
    assert.deepEqual(record, {
      n: hmacPseudonym("n", "4111111111111111"),
      ms: 1764078310000,
      small: 5555,
      x: 4.5,
    });
    assert.deepEqual(counts, { card: 1 });
  });

  it("renames a key that looks like PII to key_hash_<hex>, in place, and prefixes the values under it with key", () => {
    const { record, counts } = scanned({
      first: 1,
      opens: { "jane@example.com": 3, "bob@example.org": "+1 555 123 4567" },
      last: 2,
    });
    assert.equal(
      JSON.stringify(record),
      JSON.stringify({
        first: 1,
        opens: {
          [hmacPseudonym("key", "jane@example.com")]: 3,
          [hmacPseudonym("key", "bob@example.org")]: hmacPseudonym("key", "+1 555 123 4567"),
        },
        last: 2,
      }),
    );
    assert.deepEqual(counts, { email: 2, phone: 1 });
  });

  it("masks the value of an own __proto__ key and keeps it an own key", () => {
    const record = JSON.parse('{"__proto__":"jane@example.com","b":1}') as JsonObject;
    scanned(record);
    assert.equal(
      JSON.stringify(record),
      `{"__proto__":"${hmacPseudonym("__proto__", "jane@example.com")}","b":1}`,
    );
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
  });

  it("fail: stops at the first detection, counts it and leaves the record for the error prefix", () => {
    const record = { a: "ok", b: ["+1 555 123 4567"], c: "jane@example.com" };
    const result = scanned({ ...record, b: [...record.b] }, { detectors: PII_DETECTORS, action: "fail" });
    assert.equal(result.failed, true);
    assert.deepEqual(result.counts, { phone: 1 });
    assert.deepEqual(result.record, record);
    const keyed = scanned(
      { "jane@example.com": "+1 555 123 4567" },
      { detectors: PII_DETECTORS, action: "fail" },
    );
    assert.equal(keyed.failed, true);
    assert.deepEqual(keyed.counts, { email: 1 }, "the record stops at its key: the value is not scanned");
  });

  it("finds nothing in pseudonyms or in ordinary event fields", () => {
    const record = {
      email: hmacPseudonym("email", "jane@example.com"),
      event_id: "4f1c2a9e-7b3d-4c11-a2b9-0d3e4f5a6b7c",
      ts: "2025-11-25T13:45:10.123+01:00",
      epoch: 1764078310,
      epoch_ms: 1764078310000,
      user_id: "u-123456789",
      amount: 1234.56,
      page: "/products/4111111111111111a",
      version: "10.15.7",
    };
    const { record: out, failed, counts } = scanned({ ...record });
    assert.equal(failed, false);
    assert.deepEqual(out, record);
    assert.deepEqual(counts, {});
  });
});
