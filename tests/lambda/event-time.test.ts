import * as assert from "node:assert/strict";
import { eventTimeParts, timePartsOfMillis } from "../../lambda/transform/event-time";
import { JsonValue } from "../../lambda/transform/json";

function partsText(ts: JsonValue | undefined): string | undefined {
  const parts = eventTimeParts(ts);
  return parts === undefined ? undefined : `${parts.year}/${parts.month}/${parts.day}/${parts.hour}`;
}

/** The first and last milliseconds of the years 0000-9999 that `yyyy` can show. */
const EARLIEST_MS = Date.parse("0000-01-01T00:00:00.000Z");
const LATEST_MS = Date.parse("9999-12-31T23:59:59.999Z");

describe("event time", () => {
  it("reads epoch times from the first millisecond of year 0000 to the last of year 9999, and nothing outside", () => {
    assert.equal(partsText(EARLIEST_MS), "0000/01/01/00");
    assert.equal(partsText(EARLIEST_MS - 1), undefined);
    assert.equal(partsText(LATEST_MS), "9999/12/31/23");
    assert.equal(partsText(LATEST_MS + 1), undefined);
    assert.deepEqual(timePartsOfMillis(LATEST_MS), { year: "9999", month: "12", day: "31", hour: "23" });
    assert.equal(timePartsOfMillis(Number.NaN), undefined);
  });

  it("takes numbers below 1e11 as seconds and from 1e11 on as milliseconds", () => {
    assert.equal(partsText(99_999_999_999), "5138/11/16/09");
    assert.equal(partsText(100_000_000_000), "1973/03/03/09");
    assert.equal(partsText(-1), "1969/12/31/23");
    assert.equal(partsText("100000000000"), "1973/03/03/09");
  });

  it("knows the Gregorian leap years: every fourth year, but not centuries unless divisible by 400", () => {
    assert.equal(partsText("2024-02-29"), "2024/02/29/00");
    assert.equal(partsText("2000-02-29"), "2000/02/29/00");
    assert.equal(partsText("1900-02-29"), undefined);
    assert.equal(partsText("2100-02-29"), undefined);
    assert.equal(partsText("2023-02-29"), undefined);
    assert.equal(partsText("2024-02-30"), undefined);
    assert.equal(partsText("2024-01-31"), "2024/01/31/00");
    assert.equal(partsText("2024-04-30"), "2024/04/30/00");
    assert.equal(partsText("2024-04-31"), undefined);
  });

  it("refuses month 00 or 13 and day 00 or past the month's end", () => {
    assert.equal(partsText("2025-00-10"), undefined);
    assert.equal(partsText("2025-13-10"), undefined);
    assert.equal(partsText("2025-12-31"), "2025/12/31/00");
    assert.equal(partsText("2025-01-01"), "2025/01/01/00");
    assert.equal(partsText("2025-01-00"), undefined);
    assert.equal(partsText("2025-01-32"), undefined);
  });

  it("accepts times up to 23:59:59 and refuses minute or second 60", () => {
    assert.equal(partsText("2025-11-25T23:59:59Z"), "2025/11/25/23");
    assert.equal(partsText("2025-11-25T13:60Z"), undefined);
    assert.equal(partsText("2025-11-25T13:45:60Z"), undefined);
    assert.equal(partsText("2025-11-25T13:45:60.5"), undefined);
  });

  it("shifts by a zone offset of hours and minutes, written as +hh, +hhmm or +hh:mm", () => {
    assert.equal(partsText("2025-11-25T10:00:00+05:30"), "2025/11/25/04");
    assert.equal(partsText("2025-11-25T10:00:00+0530"), "2025/11/25/04");
    assert.equal(partsText("2025-11-25T10:00:00+05"), "2025/11/25/05");
    assert.equal(partsText("2025-11-25T10:00:00-03:30"), "2025/11/25/13");
    assert.equal(partsText("2025-11-25T10:00:00+05:59"), "2025/11/25/04");
    assert.equal(partsText("2025-11-25T10:00:00+23:00"), "2025/11/24/11");
    assert.equal(partsText("2025-11-25T10:00:00-23:59"), "2025/11/26/09");
    assert.equal(partsText("2025-11-25T10:00:00+05:60"), undefined);
    assert.equal(partsText("2025-11-25T10:00:00+24:00"), undefined);
  });

  it("refuses text with anything before or after the date-time or the epoch number", () => {
    assert.equal(partsText("2025-11-25T13:45:10Z"), "2025/11/25/13");
    assert.equal(partsText("2025-11-25T13:45:10Zjunk"), undefined);
    assert.equal(partsText("2025-11-25T13:45:10Z "), undefined);
    assert.equal(partsText("on 2025-11-25"), undefined);
    assert.equal(partsText("1764078310"), "2025/11/25/13");
    assert.equal(partsText(" 1764078310"), undefined);
    assert.equal(partsText("+1764078310"), undefined);
    assert.equal(partsText("1764078310 "), undefined);
    assert.equal(partsText("1764078310."), undefined);
  });

  it("reads epoch digit strings with any number of decimals, and negative ones before 1970", () => {
    assert.equal(partsText("1764078310.25"), "2025/11/25/13");
    assert.equal(partsText("1764078310123.875"), "2025/11/25/13");
    assert.equal(partsText("-86400"), "1969/12/31/00");
  });

  it("has no parts for a ts that is an array, even one holding a time", () => {
    assert.equal(partsText(["2025-11-25T13:45:10Z"]), undefined);
    assert.equal(partsText([1764078310]), undefined);
    assert.equal(partsText(undefined), undefined);
  });
});
