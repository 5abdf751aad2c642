import * as assert from "node:assert/strict";
import { WrittenObject } from "../../local/delivery-stream";
import { bytesWrittenLine, failuresByReason, formatTable, objectsByPrefix } from "../../local/report";

describe("local: report tables", () => {
  it("aligns columns two spaces apart, numbers to the right, text to the left, without trailing blanks", () => {
    const table = formatTable(
      ["name", "n", "note"],
      [
        ["a", 1, "x"],
        ["longer", 12345, ""],
      ],
    );
    assert.equal(
      table,
      ["name        n  note", "------  -----  ----", "a           1  x", "longer  12345"].join("\n"),
    );
  });

  it("a column is as wide as its header when every cell is narrower", () => {
    assert.equal(formatTable(["records"], [[7]]), ["records", "-------", "      7"].join("\n"));
  });

  it("a column with any cell that is not a number is left-aligned, bigints are numbers", () => {
    assert.equal(
      formatTable(
        ["mixed", "big"],
        [
          [1, 10n],
          ["22", 3n],
        ],
      ),
      ["mixed  big", "-----  ---", "1       10", "22       3"].join("\n"),
    );
  });

  it("without rows, only the header and its rule", () => {
    assert.equal(formatTable(["a", "bb"], []), "a  bb\n-  --");
  });

  it("shows NULL for null and undefined, ISO time for a date, JSON for objects with bigints as text", () => {
    const table = formatTable(
      ["v"],
      [[null], [undefined], [new Date(Date.UTC(2026, 0, 2, 3, 4, 5))], [{ a: 1n, b: [true] }], [false]],
    );
    assert.equal(
      table,
      [
        "v",
        "------------------------",
        "NULL",
        "NULL",
        "2026-01-02T03:04:05.000Z",
        '{"a":"1","b":[true]}',
        "false",
      ].join("\n"),
    );
  });

  it("groups written objects by prefix: data before errors, then by prefix", () => {
    const written: WrittenObject[] = [
      { key: "errors/processing-failed/x-1", kind: "error", records: 2, bytes: 20 },
      { key: "data/b/x-1.gz", kind: "data", records: 5, bytes: 100 },
      { key: "data/a/x-2.gz", kind: "data", records: 1, bytes: 10 },
      { key: "data/b/x-3.gz", kind: "data", records: 7, bytes: 30 },
      { key: "top", kind: "data", records: 1, bytes: 1 },
    ];
    assert.deepEqual(objectsByPrefix(written), [
      ["", 1, 1, 1],
      ["data/a/", 1, 1, 10],
      ["data/b/", 2, 12, 130],
      ["errors/processing-failed/", 1, 2, 20],
    ]);
    assert.deepEqual(objectsByPrefix([]), []);
  });

  it("lists failures by error output type and code, most frequent first", () => {
    const failures = new Map([
      ["processing-failed Lambda.FunctionError", 2],
      ["format-conversion-failed DataFormatConversion.MalformedData", 5],
      ["partitioning-failed DynamicPartitioning.MetadataExtractionFailed", 3],
    ]);
    assert.deepEqual(failuresByReason(failures), [
      ["format-conversion-failed", "DataFormatConversion.MalformedData", 5],
      ["partitioning-failed", "DynamicPartitioning.MetadataExtractionFailed", 3],
      ["processing-failed", "Lambda.FunctionError", 2],
    ]);
  });

  it("states bytes in against bytes written to data objects only, with their ratio", () => {
    const written: WrittenObject[] = [
      { key: "data/a", kind: "data", records: 1, bytes: 300 },
      { key: "data/b", kind: "data", records: 1, bytes: 33 },
      { key: "errors/c", kind: "error", records: 1, bytes: 5000 },
    ];
    assert.equal(
      bytesWrittenLine(1000, written),
      "Bytes: 1000 in, 333 written to data objects (bytesWrittenRatio 0.33)",
    );
    assert.equal(bytesWrittenLine(0, []), "Bytes: 0 in, 0 written to data objects (bytesWrittenRatio n/a)");
    assert.equal(bytesWrittenLine(1, []), "Bytes: 1 in, 0 written to data objects (bytesWrittenRatio 0.00)");
  });
});
