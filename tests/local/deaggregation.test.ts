import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { splitDelimited, splitJsonObjects, splitter } from "../../local/deaggregation";
import { RawConfig, settingsOf } from "../support/stacks";
import { linesOf, runStack } from "./harness";

const STREAM = "firehose-etl-prod-lake";
const text = (parts: ReturnType<typeof splitJsonObjects>) =>
  "error" in parts ? parts : parts.map((p) => p.toString("utf8"));

describe("local: multi-record de-aggregation", () => {
  describe("JSON", () => {
    it("splits concatenated objects and JSON Lines, respecting strings and nesting", () => {
      assert.deepEqual(text(splitJsonObjects(Buffer.from('{"a":1}{"a":2}'))), ['{"a":1}', '{"a":2}']);
      assert.deepEqual(text(splitJsonObjects(Buffer.from('{"a":1}\n{"a":2}\n'))), ['{"a":1}', '{"a":2}']);
      assert.deepEqual(text(splitJsonObjects(Buffer.from('{"s":"}{\\"}","n":{"m":[{}]}} \r\n\t{}'))), [
        '{"s":"}{\\"}","n":{"m":[{}]}}',
        "{}",
      ]);
    });

    it("gives back exactly the objects of any sequence of JSON objects, whatever whitespace separates them", () => {
      // Any UTF-16 code units in keys and values: escapes, quotes, backslashes, braces and multi-byte UTF-8.
      const anyText = fc.string({ unit: "binary" });
      const object = fc.dictionary(anyText, fc.oneof(anyText, fc.jsonValue())).map((o) => JSON.stringify(o));
      const gap = fc.constantFrom("", "\n", " ", "\r\n", "\t \n");
      fc.assert(
        fc.property(fc.array(fc.tuple(object, gap), { minLength: 1, maxLength: 20 }), (items) => {
          const packed = Buffer.from(items.map(([o, g]) => o + g).join(""));
          assert.deepEqual(
            text(splitJsonObjects(packed)),
            items.map(([o]) => o),
          );
        }),
      );
    });

    it("refuses an array of objects, text between objects, an unclosed object, more than 500 objects", () => {
      assert.deepEqual(splitJsonObjects(Buffer.from('[{"a":1},{"a":2}]')), {
        error: "it is not a sequence of JSON objects: byte 0 is not '{' (an array of objects is not split)",
      });
      assert.deepEqual(splitJsonObjects(Buffer.from('{"a":1},{"a":2}')), {
        error: "it is not a sequence of JSON objects: byte 7 is not '{'",
      });
      assert.deepEqual(splitJsonObjects(Buffer.from('{"a":{"b":1}')), {
        error: "the JSON object at byte 0 is not closed",
      });
      // A bracket cannot close an object.
      assert.deepEqual(splitJsonObjects(Buffer.from("{]{}")), {
        error: "the JSON object at byte 0 is not closed",
      });
      assert.deepEqual(splitJsonObjects(Buffer.from(" \n")), { error: "it holds no JSON object" });
      assert.equal((splitJsonObjects(Buffer.from("{}".repeat(500))) as Buffer[]).length, 500);
      assert.deepEqual(splitJsonObjects(Buffer.from("{}".repeat(501))), {
        error: "it holds more than 500 records, Firehose's cap on de-aggregation",
      });
    });
  });

  describe("DELIMITED", () => {
    it("takes the delimiter as text, and refuses an empty one", () => {
      const split = splitter({ subRecordType: "DELIMITED", delimiter: "\n##\n" });
      assert.deepEqual(text(split(Buffer.from("a\n##\nb"))), ["a", "b"]);
      assert.throws(() => splitter({ subRecordType: "DELIMITED", delimiter: "" }), /needs a delimiter/);
    });

    it("splits at every delimiter and keeps no empty record", () => {
      const split = (record: string, delimiter: string) =>
        text(splitDelimited(Buffer.from(record), Buffer.from(delimiter)));
      assert.deepEqual(split("a####b####c", "####"), ["a", "b", "c"]);
      assert.deepEqual(split("a\n\nb\n", "\n"), ["a", "b"]);
      assert.deepEqual(split("no delimiter", "|"), ["no delimiter"]);
      assert.deepEqual(split("||", "|"), { error: "it holds nothing but delimiters" });
      assert.equal((splitDelimited(Buffer.from("x|".repeat(500)), Buffer.from("|")) as Buffer[]).length, 500);
      assert.deepEqual(split("x|".repeat(501), "|"), {
        error: "it holds more than 500 records, Firehose's cap on de-aggregation",
      });
    });
  });

  describe("end to end (prod lake)", () => {
    const withDeaggregation = (deaggregation: Record<string, string>) => (raw: RawConfig) => {
      (raw.pipelines as { destination: Record<string, unknown> }[])[0].destination.deaggregation =
        deaggregation;
    };
    const withJson = withDeaggregation({ subRecordType: "JSON" });
    const event = (id: string, country: string) =>
      JSON.stringify({
        event_id: id,
        user_id: "u",
        email: "a@example.com",
        action: "click",
        amount: 1,
        country,
      });

    it("each packed object becomes a record; an unsplittable record goes whole to partitioning-failed", async () => {
      const run = await runStack(settingsOf("prod", withJson));
      const packed = [
        Buffer.from(`${event("e1", "DE")}${event("e2", "FR")}\n${event("e3", "DE")}\n`),
        Buffer.from(`${event("e4", "NL")}\n`),
        Buffer.from(`[${event("e5", "DE")},${event("e6", "DE")}]`),
      ];
      let description;
      try {
        description = await run.client.send(
          new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }),
        );
        await run.put(packed);
      } finally {
        await run.stop();
      }
      const processors =
        description.DeliveryStreamDescription?.Destinations?.[0].ExtendedS3DestinationDescription
          ?.ProcessingConfiguration?.Processors ?? [];
      assert.deepEqual(processors[0], {
        Type: "RecordDeAggregation",
        Parameters: [{ ParameterName: "SubRecordType", ParameterValue: "JSON" }],
      });

      const stream = run.stack.streams[0];
      const delivered = stream.written.filter((o) => o.kind === "data");
      assert.deepEqual(delivered.map((o) => [o.key.split("/")[1], o.records]).sort(), [
        ["country=DE", 2],
        ["country=FR", 1],
        ["country=NL", 1],
      ]);
      const [failed] = stream.written.filter((o) => o.kind === "error");
      assert.match(failed.key, /^errors\/lake\/partitioning-failed\//);
      const [document] = linesOf(run.stack.store.pathOf(failed.key)).map((l) => JSON.parse(l));
      assert.equal(Buffer.from(document.rawData, "base64").toString("utf8"), packed[2].toString("utf8"));
      assert.equal(
        document.errorMessage,
        "The record could not be de-aggregated as JSON: it is not a sequence of JSON objects: byte 0 is not '{' (an array of objects is not split).",
      );
      const counts = stream.counts();
      assert.deepEqual(
        [counts.received, counts.added, counts.delivered, counts.failed, counts.dropped, counts.buffered],
        [3, 2, 4, 1, 0, 0],
      );
    });

    it("DELIMITED splits at the stack's delimiter, given as text", async () => {
      const run = await runStack(
        settingsOf("prod", withDeaggregation({ subRecordType: "DELIMITED", delimiter: "\n##\n" })),
      );
      try {
        await run.put([Buffer.from(`${event("e1", "DE")}\n##\n${event("e2", "FR")}\n##\n`)]);
      } finally {
        await run.stop();
      }
      const counts = run.stack.streams[0].counts();
      assert.deepEqual([counts.received, counts.added, counts.delivered, counts.failed], [1, 1, 2, 0]);
    });
  });
});
