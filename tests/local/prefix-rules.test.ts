import * as assert from "node:assert/strict";
import { MissingPartitionKeyError, Prefix, randomString } from "../../local/prefix";

const AUG_27_2018_1030 = Date.parse("2018-08-27T10:30:00Z");

describe("local: prefix rules, field and value named in each error", () => {
  const refused: [string, "prefix" | "errorOutputPrefix", string][] = [
    [
      "data/!{firehose:error-output-type}/",
      "prefix",
      '[prefix] may not contain !{firehose:error-output-type}, got "data/!{firehose:error-output-type}/"',
    ],
    [
      "errors/!{timestamp:yyyy}/",
      "errorOutputPrefix",
      '[errorOutputPrefix] must contain !{firehose:error-output-type} when it contains expressions, got "errors/!{timestamp:yyyy}/"',
    ],
    [
      "errors/!{firehose:random-string}/",
      "errorOutputPrefix",
      '[errorOutputPrefix] must contain !{firehose:error-output-type} when it contains expressions, got "errors/!{firehose:random-string}/"',
    ],
    [
      "e/!{firehose:error-output-type}/!{partitionKeyFromQuery:c}/",
      "errorOutputPrefix",
      '[errorOutputPrefix] may not use partition keys, got "e/!{firehose:error-output-type}/!{partitionKeyFromQuery:c}/"',
    ],
    [
      "e/!{firehose:error-output-type}/!{partitionKeyFromLambda:c}/",
      "errorOutputPrefix",
      '[errorOutputPrefix] may not use partition keys, got "e/!{firehose:error-output-type}/!{partitionKeyFromLambda:c}/"',
    ],
    ["data/!{oops", "prefix", '[prefix] "!{" at position 5 is never closed with "}", got "data/!{oops"'],
    [
      "data/!{timestamp:ddd}/",
      "prefix",
      `[prefix] timestamp pattern "ddd": too many pattern letters 'd' (3), or a count Java refuses, got "data/!{timestamp:ddd}/"`,
    ],
  ];
  for (const [template, kind, message] of refused) {
    it(`refuses ${JSON.stringify(template)} as ${kind} with its exact message`, () => {
      assert.throws(() => Prefix.compile(template, kind), { message });
    });
  }

  it("a prefix may be 1024 characters, not 1025", () => {
    const longest = "x".repeat(1024);
    assert.equal(Prefix.compile(longest, "prefix").template, longest);
    const over = "x".repeat(1025);
    assert.throws(() => Prefix.compile(over, "prefix"), {
      message: `[prefix] must be at most 1024 characters, got ${JSON.stringify(over)}`,
    });
  });

  it("an error output prefix without expressions needs no error output type and gets no time appended", () => {
    assert.equal(Prefix.compile("errors/", "errorOutputPrefix").evaluate({ arrivalMs: 0 }), "errors/");
  });

  it("an error output prefix whose type is not given evaluates it as empty", () => {
    const prefix = Prefix.compile("e/!{firehose:error-output-type}/", "errorOutputPrefix");
    assert.equal(prefix.evaluate({ arrivalMs: AUG_27_2018_1030 }), "e//");
  });

  it("a data prefix with a timestamp or an inline partition key gets no default time", () => {
    assert.equal(
      Prefix.compile("d/!{timestamp:yyyy}/", "prefix").evaluate({ arrivalMs: AUG_27_2018_1030 }),
      "d/2018/",
    );
    assert.equal(
      Prefix.compile("d/!{partitionKeyFromQuery:k}/", "prefix").evaluate({
        arrivalMs: AUG_27_2018_1030,
        keysFromQuery: { k: "v" },
      }),
      "d/v/",
    );
  });

  it("lists the partition keys of each namespace in order", () => {
    const prefix = Prefix.compile(
      "!{partitionKeyFromLambda:a}/!{partitionKeyFromQuery:b}/!{partitionKeyFromLambda:c}/",
      "prefix",
    );
    assert.deepEqual(prefix.partitionKeys("fromLambda"), ["a", "c"]);
    assert.deepEqual(prefix.partitionKeys("fromQuery"), ["b"]);
  });

  it("a missing or empty partition key names the key and its namespace", () => {
    const query = Prefix.compile("d/!{partitionKeyFromQuery:k}/", "prefix");
    for (const keysFromQuery of [undefined, {}, { k: "" }] as (Record<string, string> | undefined)[]) {
      assert.throws(
        () => query.evaluate({ arrivalMs: 0, keysFromQuery, keysFromLambda: { k: "lambda" } }),
        (err: unknown) => {
          assert.ok(err instanceof MissingPartitionKeyError);
          assert.equal(err.name, "MissingPartitionKeyError");
          assert.equal(err.namespace, "partitionKeyFromQuery");
          assert.equal(err.key, "k");
          assert.equal(
            err.message,
            "partition key 'k' (partitionKeyFromQuery) was not found in the record's keys",
          );
          return true;
        },
      );
    }
    const lambda = Prefix.compile("d/!{partitionKeyFromLambda:k}/", "prefix");
    assert.equal(
      lambda.evaluate({ arrivalMs: 0, keysFromLambda: { k: "L" }, keysFromQuery: { k: "Q" } }),
      "d/L/",
    );
    assert.throws(
      () => lambda.evaluate({ arrivalMs: 0, keysFromQuery: { k: "query" } }),
      (err: unknown) =>
        err instanceof MissingPartitionKeyError &&
        err.namespace === "partitionKeyFromLambda" &&
        err.message === "partition key 'k' (partitionKeyFromLambda) was not found in the record's keys",
    );
  });

  it("an evaluated prefix may be 512 characters, not 513", () => {
    const prefix = Prefix.compile("p/!{partitionKeyFromQuery:k}", "prefix");
    assert.equal(prefix.evaluate({ arrivalMs: 0, keysFromQuery: { k: "v".repeat(510) } }).length, 512);
    const over = `p/${"v".repeat(511)}`;
    assert.throws(() => prefix.evaluate({ arrivalMs: 0, keysFromQuery: { k: "v".repeat(511) } }), {
      message: `evaluated prefix is 513 characters, over Firehose's 512: ${over}`,
    });
  });

  it("a random string is the first 11 characters of a random UUID", () => {
    const drawn = randomString();
    assert.match(drawn, /^[0-9a-f]{8}-[0-9a-f]{2}$/);
    assert.notEqual(randomString(), drawn);
  });
});
