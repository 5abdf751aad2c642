import { strict as assert } from "assert";
import { evaluateStack } from "../../offline/evaluate-stack";
import { checkStack, placeholderSecrets } from "../../offline/check-stack";
import { RawConfig, TYPES, only, rawConfigOf, settingsOf } from "../support/stacks";

/** The prod lake with de-aggregation of `subRecordType` (and `delimiter`). */
function prodLakeWith(deaggregation: Record<string, string>) {
  return (raw: RawConfig) => {
    (raw.pipelines as { destination: Record<string, unknown> }[])[0].destination.deaggregation =
      deaggregation;
  };
}

describe("destinations: S3 with multi-record de-aggregation", () => {
  it("runs RecordDeAggregation before the transform and the inline parser, the delimiter base64-encoded", async () => {
    const stack = await evaluateStack(
      settingsOf("prod", prodLakeWith({ subRecordType: "DELIMITED", delimiter: "\n##\n" })),
    );
    const s3 = only(stack.resources, TYPES.stream, "lake-stream").inputs.extendedS3Configuration;
    const processors = s3.processingConfiguration.processors as { type: string; parameters: unknown[] }[];
    assert.deepEqual(
      processors.map((p) => p.type),
      ["RecordDeAggregation", "Lambda", "MetadataExtraction"],
    );
    assert.deepEqual(processors[0].parameters, [
      { parameterName: "SubRecordType", parameterValue: "DELIMITED" },
      { parameterName: "Delimiter", parameterValue: Buffer.from("\n##\n").toString("base64") },
    ]);
  });

  it("JSON takes no Delimiter, and the policy pack accepts the stack", async () => {
    const settings = settingsOf("prod", prodLakeWith({ subRecordType: "JSON" }));
    const stack = await evaluateStack(settings);
    const s3 = only(stack.resources, TYPES.stream, "lake-stream").inputs.extendedS3Configuration;
    assert.deepEqual(s3.processingConfiguration.processors[0], {
      type: "RecordDeAggregation",
      parameters: [{ parameterName: "SubRecordType", parameterValue: "JSON" }],
    });
    const result = await checkStack(settings, placeholderSecrets(rawConfigOf("prod")), {});
    assert.deepEqual(
      result.violations.filter((v) => v.level === "mandatory"),
      [],
    );
  });
});
