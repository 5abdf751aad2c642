import * as assert from "node:assert/strict";
import { compileDateFormat } from "../../policy/lib/java-date-format";

const at = (iso: string) => Date.parse(iso);

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
  ];
  for (const [pattern, iso, expected] of table) {
    it(`${JSON.stringify(pattern)} at ${iso} is ${JSON.stringify(expected)}`, () => {
      assert.equal(compileDateFormat(pattern)(at(iso)), expected);
    });
  }

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
