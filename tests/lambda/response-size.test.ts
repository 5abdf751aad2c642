import { FirehoseTransformationResultRecord } from "aws-lambda";
import * as assert from "node:assert/strict";
import { entryBytes, recordIdMemberBytes, responseBytes } from "../../lambda/transform/response-size";

describe("response size accounting", () => {
  const entries: FirehoseTransformationResultRecord[] = [
    {
      recordId: "49546986683135544286507457936321625675700192471156785154",
      result: "Ok",
      data: "eyJhIjoxfQo=",
    },
    { recordId: "record-1", result: "Dropped" },
    { recordId: "record-2", result: "ProcessingFailed" },
    { recordId: 'quote " backslash \\ tab \t', result: "ProcessingFailed" },
    { recordId: "ünïcødé 😀", result: "Ok", data: "" },
    { recordId: "\u0001\ud800", result: "Dropped" },
    { recordId: "", result: "Ok", data: "QQ==", metadata: { partitionKeys: { country: "DE" } } },
    {
      recordId: "r",
      result: "Ok",
      data: "QQ==",
      metadata: {
        partitionKeys: { country: "M%C3%BCnchen", year: "2025", month: "11", day: "25", hour: "13" },
      },
    },
    { recordId: "r", result: "Ok", data: "QQ==", metadata: { partitionKeys: {} } },
    { recordId: undefined as unknown as string, result: "ProcessingFailed" },
    { recordId: 42 as unknown as string, result: "ProcessingFailed" },
  ];

  for (const entry of entries) {
    it(`counts exactly what JSON.stringify writes for ${JSON.stringify(entry)}`, () => {
      assert.equal(entryBytes(entry), Buffer.byteLength(JSON.stringify(entry), "utf8"));
      assert.equal(entryBytes(entry, recordIdMemberBytes(entry.recordId)), entryBytes(entry));
    });
  }

  it("counts the envelope and separators of a whole response", () => {
    for (const count of [0, 1, 2, entries.length]) {
      const records = entries.slice(0, count);
      const total = records.reduce((sum, entry) => sum + entryBytes(entry), 0);
      assert.equal(responseBytes(count, total), Buffer.byteLength(JSON.stringify({ records }), "utf8"));
    }
  });
});
