import * as assert from "node:assert/strict";
import { compileDateFormat, javaPatternProblem, patternRuns } from "../../policy/lib/java-date-format";

const at = (iso: string) => Date.parse(iso);

/** 15 March of `year` (proleptic: year 0 is 1 BC), 00:00 UTC; Date.UTC would read 0-99 as 1900-1999. */
function march15(year: number): number {
  const date = new Date(Date.UTC(2000, 2, 15));
  date.setUTCFullYear(year);
  return date.getTime();
}

describe("local: Java DateTimeFormatter patterns", () => {
  // [pattern, instant (UTC), what java.time prints]
  const table: [string, string, string][] = [
    ["yyyy/MM/dd/HH/", "2018-08-27T10:30:00Z", "2018/08/27/10/"],
    ["yyyy", "2025-12-29T12:00:00Z", "2025"],
    ["YYYY", "2025-12-29T12:00:00Z", "2026"],
    ["YYYY", "2025-12-31T23:59:59Z", "2026"],
    ["YYYY", "2026-01-01T00:00:00Z", "2026"],
    // en_US weeks start on Sunday: the week holding 1 January 2026 starts on Sunday 28 December.
    ["YYYY", "2025-12-28T00:00:00Z", "2026"],
    ["YYYY", "2025-12-27T23:59:59Z", "2025"],
    ["YYYY-'W'ww", "2025-12-29T12:00:00Z", "2026-W01"],
    ["YYYY-'W'ww", "2021-01-01T00:00:00Z", "2021-W01"],
    ["YYYY-'W'ww", "2020-12-26T00:00:00Z", "2020-W52"],
    ["yy", "2007-03-04T00:00:00Z", "07"],
    ["YY", "2025-12-30T00:00:00Z", "26"],
    ["y", "2026-02-03T00:00:00Z", "2026"],
    ["yyyyy", "2026-02-03T00:00:00Z", "02026"],
    ["uuuu", "2026-02-03T00:00:00Z", "2026"],
    ["M/MM/MMM/MMMM/MMMMM", "2026-02-03T00:00:00Z", "2/02/Feb/February/F"],
    ["d dd", "2026-02-03T00:00:00Z", "3 03"],
    ["D", "2026-02-03T00:00:00Z", "34"],
    ["DD", "2026-02-03T00:00:00Z", "34"],
    ["DDD", "2026-02-03T00:00:00Z", "034"],
    ["DDD", "2024-12-31T00:00:00Z", "366"],
    ["DD", "2026-01-05T00:00:00Z", "05"],
    ["HH hh h a", "2026-02-03T00:07:00Z", "00 12 12 AM"],
    ["HH hh h a", "2026-02-03T13:07:00Z", "13 01 1 PM"],
    ["k K", "2026-02-03T00:07:00Z", "24 0"],
    ["mm:ss.SSS", "2026-02-03T13:07:09.045Z", "07:09.045"],
    ["S SS SSSSSS", "2026-02-03T13:07:09.045Z", "0 04 045000"],
    ["E EEEE EEEEE", "2026-02-03T00:00:00Z", "Tue Tuesday T"],
    ["e", "2026-02-01T00:00:00Z", "1"],
    ["Q QQ QQQ QQQQ", "2026-08-01T00:00:00Z", "3 03 Q3 3rd quarter"],
    ["G", "2026-08-01T00:00:00Z", "AD"],
    ["W", "2026-08-01T00:00:00Z", "1"],
    ["W", "2026-08-02T00:00:00Z", "2"],
    ["XXX x Z", "2026-08-01T00:00:00Z", "Z +00 +0000"],
    ["'year='yyyy'/month='MM", "2026-08-01T00:00:00Z", "year=2026/month=08"],
    ["'o''clock' HH''", "2026-08-01T09:00:00Z", "o'clock 09'"],
    ["yyyy-MM-dd-HH-mm-ss", "2026-08-01T09:05:03.999Z", "2026-08-01-09-05-03"],
    ["[yyyy]", "2026-08-01T00:00:00Z", "2026"],
    ["N A n", "2026-02-03T13:07:09.045Z", "47229045000000 47229045 45000000"],
    ["G GGGG GGGGG QQQQQ", "2026-08-01T00:00:00Z", "AD Anno Domini A 3"],
    ["EEEE E EEEEE eeee ccc c", "2026-02-07T00:00:00Z", "Saturday Sat S Saturday Sat 7"],
    // After an opening quote Java reads '' as one quote, so four quotes are one quote and six are two.
    ["''''", "2026-08-01T00:00:00Z", "'"],
    ["''''''", "2026-08-01T00:00:00Z", "''"],
    ["'''x'", "2026-08-01T00:00:00Z", "'x"],
    ["'x'''", "2026-08-01T00:00:00Z", "x'"],
    ["''yyyy''", "2026-08-01T00:00:00Z", "'2026'"],
  ];
  for (const [pattern, iso, expected] of table) {
    it(`${JSON.stringify(pattern)} at ${iso} is ${JSON.stringify(expected)}`, () => {
      assert.equal(compileDateFormat(pattern)(at(iso)), expected);
    });
  }

  // What java.time prints for each month and weekday name, in full, short and narrow.
  const months: [string, string][] = [
    ["01", "January Jan J"],
    ["02", "February Feb F"],
    ["03", "March Mar M"],
    ["04", "April Apr A"],
    ["05", "May May M"],
    ["06", "June Jun J"],
    ["07", "July Jul J"],
    ["08", "August Aug A"],
    ["09", "September Sep S"],
    ["10", "October Oct O"],
    ["11", "November Nov N"],
    ["12", "December Dec D"],
  ];
  for (const [month, expected] of months) {
    it(`names month ${month} "${expected}"`, () => {
      assert.equal(compileDateFormat("MMMM MMM MMMMM")(at(`2026-${month}-15T00:00:00Z`)), expected);
    });
  }
  const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  for (const [index, name] of weekdays.entries()) {
    it(`names ${name} (2026-02-0${index + 1}) in full, short and narrow, and as day ${index + 1} of the week`, () => {
      assert.equal(
        compileDateFormat("EEEE EEE EEEEE e")(at(`2026-02-0${index + 1}T00:00:00Z`)),
        `${name} ${name.slice(0, 3)} ${name[0]} ${index + 1}`,
      );
    });
  }

  // Years outside 1-9999 as java.time prints them: y is the year of era (1 BC is the year 0), u the signed
  // year, and four letters or more print '+' before a year wider than the pattern.
  const years: [number, string, string][] = [
    [-44, "yyyy uuuu yyy uuu yy y u YYYY", "0045 -0044 045 -044 45 45 -44 -0044"],
    [-44, "G GGGG GGGGG yyyyy uuuuu", "BC Before Christ B 00045 -00044"],
    [0, "yyyy uuuu yy y u Y", "0001 0000 01 1 0 0"],
    [0, "G GGGG GGGGG", "BC Before Christ B"],
    [12026, "yyyy uuuu YYYY yyyyy yyy yy y", "+12026 +12026 +12026 12026 12026 26 12026"],
    [12026, "G", "AD"],
  ];
  for (const [year, pattern, expected] of years) {
    it(`prints ${JSON.stringify(pattern)} in the year ${year} as ${JSON.stringify(expected)}`, () => {
      assert.equal(compileDateFormat(pattern)(march15(year)), expected);
    });
  }

  it("refuses to format an instant that is not a valid time", () => {
    const format = compileDateFormat("yyyy");
    assert.throws(() => format(NaN), { message: "timestamp: not a valid time, got NaN" });
    assert.throws(() => format(8.64e15 + 1), {
      message: "timestamp: not a valid time, got 8640000000000001",
    });
  });

  it("names the pattern and the problem in a PatternError", () => {
    assert.throws(() => compileDateFormat("bb"), {
      name: "PatternError",
      message: `timestamp pattern "bb": unknown pattern letter 'b'`,
    });
    assert.throws(() => compileDateFormat("VV"), {
      name: "PatternError",
      message:
        `timestamp pattern "VV": pattern letter 'V' is valid Java but not supported locally ` +
        "(supported: G u y Y Q q M L w W d D E e c a H k K h m s S A n N X x Z)",
    });
  });

  it("says why Java refuses a pad letter with nothing to pad, and a quote left open", () => {
    assert.equal(javaPatternProblem("yyyypp"), "pad letter 'p' at 4 must be followed by pattern letters");
    assert.equal(javaPatternProblem("pp-"), "pad letter 'p' at 0 must be followed by pattern letters");
    assert.equal(javaPatternProblem("ppH"), undefined);
    assert.equal(javaPatternProblem("HH'h"), "unterminated quote at 2");
    assert.equal(javaPatternProblem("'''''"), "unterminated quote at 0");
  });

  it("lists the letter runs outside quotes, and none for a pattern Java refuses", () => {
    assert.deepEqual(patternRuns("yyyy'MM'dd"), [
      { letter: "y", text: "yyyy" },
      { letter: "d", text: "dd" },
    ]);
    assert.deepEqual(patternRuns("yyyy#"), []);
    assert.deepEqual(patternRuns("yyyy'MM"), []);
  });

  const invalid: [string, RegExp][] = [
    ["ddd", /too many pattern letters 'd' \(3\)/],
    ["HHH", /too many pattern letters 'H'/],
    ["aa", /too many pattern letters 'a'/],
    ["yyyy#", /'#' is reserved/],
    ["'open", /unterminated quote/],
    ["bb", /unknown pattern letter 'b'/],
    ["VV", /'V' is valid Java but not supported locally/],
  ];
  for (const [pattern, message] of invalid) {
    it(`rejects ${JSON.stringify(pattern)} naming the problem`, () => {
      assert.throws(() => compileDateFormat(pattern), message);
    });
  }
});
