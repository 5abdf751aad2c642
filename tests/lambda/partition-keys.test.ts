import * as assert from "node:assert/strict";
import { eventTimeParts } from "../../lambda/transform/event-time";
import { JsonObject } from "../../lambda/transform/json";
import {
  escapePartitionValue,
  PARTITION_PLACEHOLDER,
  partitionKeysFor,
  partitionValueOf,
} from "../../lambda/transform/partition-keys";

describe("partition keys", () => {
  describe("escaping for S3 keys", () => {
    const cases: [string, string][] = [
      ["DE", "DE"],
      ["page_view", "page_view"],
      ["v1.2-beta", "v1.2-beta"],
      ["a/b", "a%2Fb"],
      ["a b", "a%20b"],
      ["50%", "50%25"],
      ["x=y&z", "x%3Dy%26z"],
      ["München", "M%C3%BCnchen"],
      ["😀", "%F0%9F%98%80"],
      [".", "%2E"],
      ["..", "%2E%2E"],
      ["...", "%2E%2E%2E"],
      [".hidden", ".hidden"],
      ["a.", "a."],
      ["a b.c", "a%20b.c"],
      ["ÿ", "%C3%BF"],
      ["a😀b 😀", "a%F0%9F%98%80b%20%F0%9F%98%80"],
      ["!{partitionKeyFromLambda:x}", "%21%7BpartitionKeyFromLambda%3Ax%7D"],
      ["a\u0000b\n", "a%00b%0A"],
      ["\ud800", "%EF%BF%BD"],
      ["", PARTITION_PLACEHOLDER],
    ];
    for (const [value, escaped] of cases) {
      it(`${JSON.stringify(value)} becomes ${escaped}`, () =>
        assert.equal(escapePartitionValue(value), escaped));
    }

    it("turns numbers and booleans into text and anything else into the placeholder", () => {
      assert.equal(partitionValueOf(42), "42");
      assert.equal(partitionValueOf(-1.5), "-1.5");
      assert.equal(partitionValueOf(1e21), "1e%2B21");
      assert.equal(partitionValueOf(true), "true");
      for (const value of [null, undefined, "", ["de"], { code: "de" }]) {
        assert.equal(partitionValueOf(value), PARTITION_PLACEHOLDER, JSON.stringify(value));
      }
    });
  });

  describe("date parts of ts", () => {
    const cases: [unknown, string | undefined][] = [
      ["2025-11-25T13:45:10.123Z", "2025/11/25/13"],
      ["2025-11-25T13:45:10Z", "2025/11/25/13"],
      ["2025-11-25 13:45", "2025/11/25/13"],
      ["2025-11-25T13:45:10", "2025/11/25/13"],
      ["2025-11-25", "2025/11/25/00"],
      ["2025-11-25T01:30:00+02:00", "2025/11/24/23"],
      ["2025-12-31T23:30:00-0100", "2026/01/01/00"],
      ["2024-02-29T00:00:00Z", "2024/02/29/00"],
      ["0001-01-01T00:00:00Z", "0001/01/01/00"],
      [1764078310, "2025/11/25/13"],
      [1764078310123, "2025/11/25/13"],
      ["1764078310", "2025/11/25/13"],
      ["1764078310.5", "2025/11/25/13"],
      [0, "1970/01/01/00"],
      ["2025-02-29T00:00:00Z", undefined],
      ["2025-13-01T00:00:00Z", undefined],
      ["2025-11-25T24:00:00Z", undefined],
      ["2025-11-25T13:60:00Z", undefined],
      ["2025-11-25T13:45:00+24:00", undefined],
      ["25/11/2025", undefined],
      ["Tue, 25 Nov 2025 13:45:10 GMT", undefined],
      ["", undefined],
      [null, undefined],
      [true, undefined],
      [{ at: 1 }, undefined],
      [1e20, undefined],
      ["10000-01-01T00:00:00Z", undefined],
    ];
    for (const [ts, expected] of cases) {
      it(`${JSON.stringify(ts)} gives ${expected ?? "no parts"}`, () => {
        const parts = eventTimeParts(ts as JsonObject[string]);
        assert.equal(
          parts === undefined ? undefined : `${parts.year}/${parts.month}/${parts.day}/${parts.hour}`,
          expected,
        );
      });
    }
  });

  describe("metadata.partitionKeys", () => {
    const arrival = Date.UTC(2025, 10, 25, 9, 5, 0);

    it("is absent when nothing is configured", () => {
      assert.equal(partitionKeysFor({ country: "DE" }, { fields: [], time: "none" }, arrival), undefined);
    });

    it("carries fields in configured order, escaped, then the date keys", () => {
      const record: JsonObject = { country: "DE", action: "add to cart", ts: "2025-11-25T13:45:10Z" };
      assert.deepEqual(partitionKeysFor(record, { fields: ["country", "action"], time: "hour" }, arrival), {
        keys: { country: "DE", action: "add%20to%20cart", year: "2025", month: "11", day: "25", hour: "13" },
        fromArrivalTime: false,
      });
      assert.deepEqual(partitionKeysFor(record, { fields: [], time: "day" }, arrival), {
        keys: { year: "2025", month: "11", day: "25" },
        fromArrivalTime: false,
      });
    });

    it("carries only the fields, read from the record, when PARTITION_TIME is none", () => {
      assert.deepEqual(
        partitionKeysFor(
          { country: "DE", ts: null },
          { fields: ["country", "channel"], time: "none" },
          arrival,
        ),
        { keys: { country: "DE", channel: PARTITION_PLACEHOLDER }, fromArrivalTime: false },
      );
    });

    it("uses the placeholder when the arrival time is not a number of milliseconds", () => {
      assert.deepEqual(partitionKeysFor({ ts: null }, { fields: [], time: "day" }, String(arrival)), {
        keys: { year: PARTITION_PLACEHOLDER, month: PARTITION_PLACEHOLDER, day: PARTITION_PLACEHOLDER },
        fromArrivalTime: true,
      });
    });

    it("falls back to the arrival time when ts is null or unreadable, and to the placeholder without one", () => {
      assert.deepEqual(partitionKeysFor({ ts: null }, { fields: ["country"], time: "hour" }, arrival), {
        keys: { country: PARTITION_PLACEHOLDER, year: "2025", month: "11", day: "25", hour: "09" },
        fromArrivalTime: true,
      });
      assert.deepEqual(partitionKeysFor({ ts: "yesterday" }, { fields: [], time: "day" }, undefined), {
        keys: { year: PARTITION_PLACEHOLDER, month: PARTITION_PLACEHOLDER, day: PARTITION_PLACEHOLDER },
        fromArrivalTime: true,
      });
    });
  });
});
