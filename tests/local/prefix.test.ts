import * as assert from "node:assert/strict";
import { s3Layout } from "../../config/layout";
import { MissingPartitionKeyError, Prefix } from "../../local/prefix";
import { settingsOf } from "../support/stacks";

const AUG_27_2018_1030 = Date.parse("2018-08-27T10:30:00Z");
const JUL_06_2018_2300 = Date.parse("2018-07-06T23:00:00Z");

function counter(): () => string {
  let n = 0;
  return () => `rand${String(++n).padStart(7, "0")}`;
}

function layoutOf(stack: "dev" | "prod") {
  const pipeline = settingsOf(stack).pipelines[0];
  if (pipeline.destination.type !== "s3") throw new Error("first pipeline is not s3");
  return s3Layout(pipeline.destination, pipeline.name);
}

describe("local: prefix evaluation", () => {
  describe("the examples of AWS's 'Custom Prefixes for Amazon S3 Objects'", () => {
    it("an unspecified prefix gets yyyy/MM/dd/HH/; the error prefix gets the error output type", () => {
      assert.equal(Prefix.compile("", "prefix").evaluate({ arrivalMs: AUG_27_2018_1030 }), "2018/08/27/10/");
      const error = Prefix.compile("myFirehoseFailures/!{firehose:error-output-type}/", "errorOutputPrefix");
      assert.equal(
        error.evaluate({ arrivalMs: AUG_27_2018_1030, errorOutputType: "processing-failed" }),
        "myFirehoseFailures/processing-failed/",
      );
    });

    it("random strings and several timestamps in one prefix", () => {
      const prefix = Prefix.compile(
        "myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}",
        "prefix",
        counter(),
      );
      assert.equal(
        prefix.evaluate({ arrivalMs: AUG_27_2018_1030 }),
        "myFirehose/DeliveredYear=2018/anyMonth/rand=rand0000001",
      );
      const error = Prefix.compile(
        "myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}",
        "errorOutputPrefix",
      );
      // AWS's table prints "10" for the day here, a typo: dd at 27 August is 27.
      assert.equal(
        error.evaluate({ arrivalMs: AUG_27_2018_1030, errorOutputType: "processing-failed" }),
        "myFirehoseFailures/processing-failed/2018/anyMonth/27",
      );
    });

    it("Hive-style segments, and quoted literals inside one timestamp expression", () => {
      const prefix = Prefix.compile(
        "myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
        "prefix",
      );
      assert.equal(
        prefix.evaluate({ arrivalMs: JUL_06_2018_2300 }),
        "myPrefix/year=2018/month=07/day=06/hour=23/",
      );
      const error = Prefix.compile(
        "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}",
        "errorOutputPrefix",
      );
      assert.equal(
        error.evaluate({ arrivalMs: JUL_06_2018_2300, errorOutputType: "processing-failed" }),
        "myErrorPrefix/year=2018/month=07/day=06/hour=23/processing-failed",
      );
    });

    it("a static prefix gets the time appended as written: no slash is added", () => {
      // The guide's table shows `myFirehosePrefix/2018/08/27/` here, contradicting its own rule (and its hour).
      const prefix = Prefix.compile("myFirehosePrefix", "prefix");
      assert.equal(prefix.evaluate({ arrivalMs: AUG_27_2018_1030 }), "myFirehosePrefix2018/08/27/10/");
    });
  });

  it("every use of firehose:random-string draws a new 11-character string", () => {
    const prefix = Prefix.compile(
      "!{firehose:random-string}/!{firehose:random-string}/!{timestamp:yyyy}/",
      "prefix",
    );
    const [a, b] = prefix.evaluate({ arrivalMs: AUG_27_2018_1030 }).split("/");
    assert.equal(a.length, 11);
    assert.equal(b.length, 11);
    assert.notEqual(a, b);
  });

  it("the dev stack's derived layout", () => {
    const layout = layoutOf("dev");
    const at = Date.parse("2026-03-04T05:06:07Z");
    assert.equal(
      Prefix.compile(layout.prefix, "prefix").evaluate({ arrivalMs: at }),
      "data/year=2026/month=03/day=04/",
    );
    assert.equal(
      Prefix.compile(layout.errorOutputPrefix, "errorOutputPrefix").evaluate({
        arrivalMs: at,
        errorOutputType: "processing-failed",
      }),
      "errors/events/processing-failed/year=2026/month=03/day=04/",
    );
  });

  it("the prod stack's inline partition keys go in verbatim, including characters S3 keys usually avoid", () => {
    const prefix = Prefix.compile(layoutOf("prod").prefix, "prefix");
    assert.deepEqual(prefix.partitionKeys("fromQuery"), ["country"]);
    const at = Date.parse("2026-12-31T23:59:59Z");
    assert.equal(
      prefix.evaluate({ arrivalMs: at, keysFromQuery: { country: "DE" } }),
      "data/country=DE/year=2026/month=12/day=31/hour=23/",
    );
    assert.equal(
      prefix.evaluate({ arrivalMs: at, keysFromQuery: { country: "a/b c%2F..ü" } }),
      "data/country=a/b c%2F..ü/year=2026/month=12/day=31/hour=23/",
    );
    assert.throws(
      () => prefix.evaluate({ arrivalMs: at, keysFromQuery: {} }),
      (err: unknown) => err instanceof MissingPartitionKeyError && err.key === "country",
    );
  });

  it("Lambda partition keys, e.g. event-time parts; no default time is appended to a partitioned prefix", () => {
    const prefix = Prefix.compile(
      "data/country=!{partitionKeyFromLambda:country}/year=!{partitionKeyFromLambda:year}/",
      "prefix",
    );
    assert.equal(
      prefix.evaluate({ arrivalMs: 0, keysFromLambda: { country: "FR", year: "2024" } }),
      "data/country=FR/year=2024/",
    );
  });

  const invalid: [string, "prefix" | "errorOutputPrefix", RegExp][] = [
    [
      "data/!{firehose:error-output-type}/",
      "prefix",
      /\[prefix\] may not contain !\{firehose:error-output-type\}/,
    ],
    ["errors/!{timestamp:yyyy}/", "errorOutputPrefix", /must contain !\{firehose:error-output-type\}/],
    [
      "errors/!{firehose:error-output-type}/!{partitionKeyFromQuery:c}/",
      "errorOutputPrefix",
      /may not use partition keys/,
    ],
    ["data/!{oops", "prefix", /"!\{" at position 5 is never closed/],
    ["data/!{unknown:x}/", "prefix", /uses namespace "unknown"; valid namespaces are timestamp, firehose/],
    ["data/!{firehose:other}/", "prefix", /"!\{firehose:other\}" is not a firehose value/],
    ["data/!{partitionKeyFromQuery:a b}/", "prefix", /has an invalid partition key name/],
    ["data/!{timestamp:ddd}/", "prefix", /too many pattern letters 'd'/],
    ["x".repeat(1025), "prefix", /at most 1024 characters/],
  ];
  for (const [template, kind, message] of invalid) {
    it(`rejects ${JSON.stringify(template.slice(0, 60))} as ${kind}`, () => {
      assert.throws(() => Prefix.compile(template, kind), message);
    });
  }

  it("an evaluated prefix over 512 characters is an error", () => {
    const prefix = Prefix.compile("p/!{partitionKeyFromQuery:k}/", "prefix");
    assert.throws(
      () => prefix.evaluate({ arrivalMs: 0, keysFromQuery: { k: "v".repeat(520) } }),
      /over Firehose's 512/,
    );
  });
});
