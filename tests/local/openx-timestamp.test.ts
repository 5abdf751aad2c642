import * as assert from "node:assert/strict";
import { openXTimestamp } from "../../local/openx-timestamp";

const NOT_A_TIMESTAMP =
  "not a timestamp (yyyy-MM-dd'T'HH:mm:ss[.S]'Z', yyyy-[M]M-[d]d HH:mm:ss[.S], or epoch seconds or milliseconds)";
const INVALID = "not a valid date and time";

/** The reading as text, or the refusal's message prefixed with `error: `. */
function read(value: number | string): string {
  const result = openXTimestamp(value);
  return result instanceof Error ? `error: ${result.message}` : result;
}

function outOfRange(text: string): string {
  return `error: out of range: ${text} is outside 0001-01-01 to 9999-12-31`;
}

describe("local: the OpenX JSON deserializer's timestamp forms", () => {
  describe("the developer guide's examples", () => {
    it("epoch seconds (1518033528), as a JSON number or a string", () => {
      assert.equal(read(1518033528), "2018-02-07 19:58:48.000000");
      assert.equal(read("1518033528"), "2018-02-07 19:58:48.000000");
    });

    it("epoch milliseconds (1518033528123), as a JSON number or a string", () => {
      assert.equal(read(1518033528123), "2018-02-07 19:58:48.123000");
      assert.equal(read("1518033528123"), "2018-02-07 19:58:48.123000");
    });

    it("floating point epoch seconds (1518033528.123), as a JSON number or a string", () => {
      assert.equal(read(1518033528.123), "2018-02-07 19:58:48.123000");
      assert.equal(read("1518033528.123"), "2018-02-07 19:58:48.123000");
    });

    it("yyyy-MM-dd'T'HH:mm:ss[.S]'Z', with a fraction of 1 to 9 digits kept to microseconds", () => {
      assert.equal(read("2018-02-07T19:58:48Z"), "2018-02-07 19:58:48.000000");
      assert.equal(read("2018-02-07T19:58:48.1Z"), "2018-02-07 19:58:48.100000");
      assert.equal(read("2018-02-07T19:58:48.12Z"), "2018-02-07 19:58:48.120000");
      assert.equal(read("2018-02-07T19:58:48.123456789Z"), "2018-02-07 19:58:48.123456");
    });

    it("yyyy-[M]M-[d]d HH:mm:ss[.S], month and day with one or two digits", () => {
      assert.equal(read("2018-02-07 19:58:48"), "2018-02-07 19:58:48.000000");
      assert.equal(read("2018-2-7 19:58:48"), "2018-02-07 19:58:48.000000");
      assert.equal(read("2018-12-31 19:58:48"), "2018-12-31 19:58:48.000000");
      assert.equal(read("2018-02-07 19:58:48.5"), "2018-02-07 19:58:48.500000");
      assert.equal(read("2018-02-07 19:58:48.987654321"), "2018-02-07 19:58:48.987654");
    });
  });

  describe("telling seconds from milliseconds by the text's length, as the SerDe does", () => {
    it("an integer of 12 characters is seconds, of 13 milliseconds", () => {
      assert.equal(read("100000000000"), "5138-11-16 09:46:40.000000");
      assert.equal(read("1000000000000"), "2001-09-09 01:46:40.000000");
    });

    it("a negative integer counts its minus sign among the characters", () => {
      assert.equal(read("-1"), "1969-12-31 23:59:59.000000");
      assert.equal(read("-15180335281"), "1488-12-14 16:11:59.000000");
      assert.equal(read("-151803352812"), "1965-03-11 00:24:07.188000");
    });

    it("any text with a '.' is seconds, its milliseconds truncated", () => {
      assert.equal(read("1518033528."), "2018-02-07 19:58:48.000000");
      assert.equal(read(".25"), "1970-01-01 00:00:00.250000");
      assert.equal(read("-1.5"), "1969-12-31 23:59:58.500000");
      assert.equal(read(1518033528.9999), "2018-02-07 19:58:48.999000");
      assert.equal(read("-0.0015"), "1969-12-31 23:59:59.999000");
    });

    it("a JSON number printed in exponent form is seconds", () => {
      assert.equal(read(1.5e-7), "1970-01-01 00:00:00.000000");
      assert.equal(read(1e21), outOfRange("1e+21"));
    });

    it("a string is read without its surrounding whitespace", () => {
      assert.equal(read(" 1518033528 "), "2018-02-07 19:58:48.000000");
      assert.equal(read("\t2018-02-07T19:58:48Z\n"), "2018-02-07 19:58:48.000000");
    });
  });

  describe("Hive's range, 0001-01-01 to 9999-12-31", () => {
    it("takes both ends and refuses a millisecond beyond either", () => {
      assert.equal(read("-62135596800000"), "0001-01-01 00:00:00.000000");
      assert.equal(read("-62135596800001"), outOfRange("-62135596800001"));
      assert.equal(read("253402300799999"), "9999-12-31 23:59:59.999000");
      assert.equal(read("253402300800000"), outOfRange("253402300800000"));
    });

    it("refuses dates outside it rather than wrapping them", () => {
      assert.equal(read("9999-12-31T23:59:59.999999999Z"), "9999-12-31 23:59:59.999999");
      assert.equal(read("0000-12-31T23:59:59Z"), outOfRange("0000-12-31T23:59:59Z"));
    });

    it("reads years 0-99 as themselves, not as 1900-1999", () => {
      assert.equal(read("0050-06-15T00:00:00Z"), "0050-06-15 00:00:00.000000");
      assert.equal(read("0099-1-2 03:04:05"), "0099-01-02 03:04:05.000000");
    });

    it("refuses numbers that are no instant", () => {
      assert.equal(read(NaN), outOfRange("NaN"));
      assert.equal(read(Infinity), outOfRange("Infinity"));
      assert.equal(read(-Infinity), outOfRange("-Infinity"));
    });
  });

  describe("refusals", () => {
    it("refuses text in none of the documented forms", () => {
      for (const text of [
        "",
        "now",
        "x1518033528",
        "1518033528x",
        "x1.5",
        "1.5x",
        "1.5.2",
        ".",
        "-",
        "1e3",
        "x2018-02-07T19:58:48Z",
        "2018-02-07T19:58:48Zx",
        "2018-02-07T19:58:48",
        "2018-02-07T19:58:48.Z",
        "2018-02-07T19:58:48.1234567891Z",
        "2018-2-07T19:58:48Z",
        "2018-02-7T19:58:48Z",
        "18-02-07T19:58:48Z",
        "02018-02-07T19:58:48Z",
        "2018-02-07T9:58:48Z",
        "2018-02-07T19:5:48Z",
        "2018-02-07T19:58:4Z",
        "x2018-02-07 19:58:48",
        "2018-02-07 19:58:48x",
        "2018-02-07 19:58:48Z",
        "2018-02-07 19:58:48.",
        "2018-02-07 19:58:48.1234567891",
        "2018-002-07 19:58:48",
        "2018-02-007 19:58:48",
        "218-02-07 19:58:48",
        "2018-02-07 9:58:48",
        "2018-02-07 19:5:48",
        "2018-02-07 19:58:4",
        "2018-02-07  19:58:48",
        "2018-0a-07 19:58:48",
      ]) {
        assert.equal(read(text), `error: ${NOT_A_TIMESTAMP}`, text);
      }
    });

    it("refuses a day or month the calendar does not have", () => {
      assert.equal(read("2018-02-29 00:00:00"), `error: ${INVALID}`);
      assert.equal(read("2018-02-29T00:00:00Z"), `error: ${INVALID}`);
      assert.equal(read("2018-04-31 00:00:00"), `error: ${INVALID}`);
      assert.equal(read("2018-13-01 00:00:00"), `error: ${INVALID}`);
      assert.equal(read("2018-00-10 00:00:00"), `error: ${INVALID}`);
      assert.equal(read("2018-01-00 00:00:00"), `error: ${INVALID}`);
      assert.equal(read("2016-02-29 00:00:00"), "2016-02-29 00:00:00.000000");
    });

    it("refuses a time of day past 23:59:59, not carrying it into the next unit", () => {
      assert.equal(read("2018-02-07 23:59:59"), "2018-02-07 23:59:59.000000");
      assert.equal(read("2018-02-07 24:00:00"), `error: ${INVALID}`);
      assert.equal(read("2018-02-07 10:60:00"), `error: ${INVALID}`);
      assert.equal(read("2018-02-07 10:10:60"), `error: ${INVALID}`);
      assert.equal(read("2018-02-07T10:60:00Z"), `error: ${INVALID}`);
      assert.equal(read("2018-02-07T10:10:60Z"), `error: ${INVALID}`);
    });
  });
});
