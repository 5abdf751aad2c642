import * as assert from "node:assert/strict";
import { JsonObject } from "../../lambda/transform/json";
import { normaliseRecord } from "../../lambda/transform/normalise";
import { parseTransformOptions } from "../../lambda/transform/options";

function normalised(record: JsonObject, fieldDefaults = ""): JsonObject {
  normaliseRecord(record, parseTransformOptions({ FIELD_DEFAULTS: fieldDefaults }).fieldDefaults, 32);
  return record;
}

describe("normalisation", () => {
  it("upper-cases a string country and sets ZZ when it is absent, null or not a string", () => {
    assert.equal(normalised({ country: "de" }).country, "DE");
    assert.equal(normalised({ country: "Us" }).country, "US");
    assert.equal(normalised({ country: "" }).country, "");
    for (const record of [
      {},
      { country: null },
      { country: 49 },
      { country: ["de"] },
      { country: { code: "de" } },
    ]) {
      assert.equal(normalised(record as JsonObject).country, "ZZ", JSON.stringify(record));
    }
  });

  it("keeps a non-empty ts, else takes a non-empty timestamp, else sets null", () => {
    assert.equal(normalised({ ts: "2025-11-25T10:00:00Z", timestamp: 1 }).ts, "2025-11-25T10:00:00Z");
    assert.equal(normalised({ ts: 1764064800, timestamp: 1 }).ts, 1764064800);
    assert.equal(normalised({ ts: 0, timestamp: 1 }).ts, 0);
    assert.equal(normalised({ ts: "", timestamp: "2025-11-25" }).ts, "2025-11-25");
    assert.equal(normalised({ ts: null, timestamp: 1764064800000 }).ts, 1764064800000);
    assert.equal(normalised({ timestamp: "2025-11-25" }).ts, "2025-11-25");
    assert.equal(normalised({ ts: null, timestamp: "" }).ts, null);
    assert.equal(normalised({}).ts, null);
  });

  it("keeps timestamp itself and every other field unchanged, and adds new keys at the end", () => {
    assert.deepEqual(
      Object.entries(normalised({ a: 1, timestamp: "2025-11-25", nested: { country: "de" } })),
      [
        ["a", 1],
        ["timestamp", "2025-11-25"],
        ["nested", { country: "de" }],
        ["country", "ZZ"],
        ["ts", "2025-11-25"],
        ["event_version", 1],
      ],
    );
  });

  it("sets event_version 1 only when the key is absent", () => {
    assert.equal(normalised({}).event_version, 1);
    assert.equal(normalised({ event_version: null }).event_version, null);
    assert.equal(normalised({ event_version: 3 }).event_version, 3);
    assert.equal(normalised({ event_version: "2" }).event_version, "2");
  });

  it("fills absent fields from FIELD_DEFAULTS before normalising, and never shares a default between records", () => {
    const defaults = '{"channel":"web","country":"fr","event_version":2,"context":{"app":"shop"}}';
    const first = normalised({ channel: null }, defaults);
    assert.deepEqual(first, {
      channel: null,
      country: "FR",
      event_version: 2,
      context: { app: "shop" },
      ts: null,
    });
    (first.context as JsonObject).app = "changed";
    assert.deepEqual(normalised({}, defaults).context, { app: "shop" });
  });

  it("gives every record its own copy of an object or array default, so changing one record leaves the next alone", () => {
    const { fieldDefaults } = parseTransformOptions({
      FIELD_DEFAULTS: '{"context":{"app":"shop","tags":["a"]},"labels":["x"],"note":null,"channel":"web"}',
    });
    const first: JsonObject = {};
    normaliseRecord(first, fieldDefaults, 32);
    (first.context as JsonObject).app = "changed";
    ((first.context as JsonObject).tags as string[]).push("b");
    (first.labels as string[]).push("y");
    const second: JsonObject = {};
    normaliseRecord(second, fieldDefaults, 32);
    assert.deepEqual(second, {
      context: { app: "shop", tags: ["a"] },
      labels: ["x"],
      note: null,
      channel: "web",
      country: "ZZ",
      ts: null,
      event_version: 1,
    });
  });

  it("keeps a country pseudonym's lower-case hex, so normalising a transformed record changes nothing", () => {
    const masked = `country_hash_${"0a".repeat(16)}`;
    assert.equal(normalised({ country: masked }).country, masked);
    assert.equal(
      normalised({ country: `Country_hash_${"0a".repeat(16)}` }).country,
      `Country_hash_${"0a".repeat(16)}`,
    );
    // Another field's pseudonym, or another length, is just a string.
    assert.equal(
      normalised({ country: `email_hash_${"0a".repeat(16)}` }).country,
      `EMAIL_HASH_${"0A".repeat(16)}`,
    );
    assert.equal(
      normalised({ country: `country_hash_${"0a".repeat(6)}` }).country,
      `COUNTRY_HASH_${"0A".repeat(6)}`,
    );
  });
});
