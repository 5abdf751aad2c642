import { strict as assert } from "assert";
import { rawRecordPrefixes } from "../../components/data-lake";
import { s3Layout } from "../../config/layout";

const layoutWith = (errorOutputPrefix?: string) =>
  s3Layout(
    {
      type: "s3",
      buffer: { sizeMiB: 5, intervalSeconds: 60 },
      compression: "GZIP",
      format: "json",
      parquetCompression: "SNAPPY",
      errorOutputPrefix,
    },
    "events",
  );

describe("raw-record prefixes (readable only by the break-glass role)", () => {
  it("are the error and backup roots, plus a custom error prefix's fixed folder outside them", () => {
    assert.deepEqual(rawRecordPrefixes(undefined), ["errors/", "backup/"]);
    assert.deepEqual(rawRecordPrefixes(layoutWith()), ["errors/", "backup/"]);
    assert.deepEqual(rawRecordPrefixes(layoutWith("failed/events/!{firehose:error-output-type}/")), [
      "errors/",
      "backup/",
      "failed/events/",
    ]);
    // Nothing to protect by folder when the prefix starts with an expression (firehose-error-prefix refuses it).
    assert.deepEqual(rawRecordPrefixes(layoutWith("!{firehose:error-output-type}/")), ["errors/", "backup/"]);
  });
});
