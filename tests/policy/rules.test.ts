// The pure parsers the policies are built on.
import * as assert from "assert";
import { openStatements } from "../../policy/rules/access-policy";
import { jqObjectKeys } from "../../policy/rules/jq-object-keys";
import { parsePrefix, prefixesOverlap } from "../../policy/rules/prefix-expressions";
import { javaPatternProblem, patternRuns } from "../../policy/lib/java-date-format";
import { suspiciousRuns } from "../../policy/rules/timestamp-patterns";

describe("jqObjectKeys", () => {
  it("reads identifier, quoted, shorthand and variable keys", () => {
    assert.deepEqual(jqObjectKeys('{a: .x, "b c": .y, d, $ENV}'), {
      ok: true,
      keys: ["a", "b c", "d", "ENV"],
      complete: true,
    });
  });

  it("skips commas and colons inside values, strings and nested objects", () => {
    const query = '{year: .ts | strftime("%Y,%m"), nested: {x: .a, y: .b}, list: [.a, .b], s: "a:b"}';
    assert.deepEqual(jqObjectKeys(query), {
      ok: true,
      keys: ["year", "nested", "list", "s"],
      complete: true,
    });
  });

  it("marks computed keys as making the key set incomplete", () => {
    assert.deepEqual(jqObjectKeys('{(.k): .v, "\\(.p)": 1, a: 2}'), {
      ok: true,
      keys: ["a"],
      complete: false,
    });
  });

  it("rejects what is not an object construction", () => {
    for (const query of [".country", "{a: .x} | .a", "{a: .x", "{a: .x,,}", "{a: (.x}"]) {
      assert.equal(jqObjectKeys(query).ok, false, query);
    }
  });
});

describe("parsePrefix", () => {
  it("finds expressions and the literal head", () => {
    const parsed = parsePrefix(
      "data/c=!{partitionKeyFromQuery:c}/!{timestamp:yyyy}/!{firehose:random-string}",
    );
    assert.deepEqual(
      parsed.expressions.map((e) => [e.namespace, e.value]),
      [
        ["partitionKeyFromQuery", "c"],
        ["timestamp", "yyyy"],
        ["firehose", "random-string"],
      ],
    );
    assert.equal(parsed.literalHead, "data/c=");
    assert.deepEqual(parsed.problems, []);
  });

  it("explains each invalid expression", () => {
    assert.deepEqual(
      parsePrefix("a/!{nope}/!{timestamp:}/!{firehose:x}/!{partitionKeyFromQuery:a b}/").problems,
      [
        '"!{nope}" is not an expression of the form !{namespace:value}',
        '"!{timestamp:}" has an empty value',
        '"!{firehose:x}" is not a firehose value; use !{firehose:random-string} or !{firehose:error-output-type}',
        '"!{partitionKeyFromQuery:a b}" has an invalid partition key name',
      ],
    );
  });

  it("tells overlapping literal heads", () => {
    assert.equal(prefixesOverlap("data/", "data/errors/"), true);
    assert.equal(prefixesOverlap("", "errors/"), true);
    assert.equal(prefixesOverlap("data/", "errors/"), false);
  });
});

describe("timestamp patterns", () => {
  it("groups runs of pattern letters outside quotes", () => {
    assert.deepEqual(
      patternRuns("yyyy-MM-dd'T'HH").map((r) => r.text),
      ["yyyy", "MM", "dd", "HH"],
    );
  });

  it("finds what Java rejects, and accepts valid letters it cannot print locally", () => {
    assert.equal(javaPatternProblem("yyyy-MM-ddTHH:mm:ssZ"), "unknown pattern letter 'T'");
    assert.equal(javaPatternProblem("yyyy-MM-dd'T'HH"), undefined);
    assert.equal(javaPatternProblem("yyyy VV zzzz"), undefined);
    assert.match(javaPatternProblem("VVV") ?? "", /too many pattern letters 'V'/);
    assert.match(javaPatternProblem("yyyy]") ?? "", /closes no '\['/);
  });

  it("suggests the letter meant for each suspicious run", () => {
    assert.deepEqual(
      suspiciousRuns("YYYY/DDD/hh", { Y: "y", D: "d", h: "H" }).map((r) => [r.text, r.suggestion]),
      [
        ["YYYY", "yyyy"],
        ["DDD", "ddd"],
        ["hh", "HH"],
      ],
    );
  });
});

describe("openStatements", () => {
  it("names unconditional Allow statements for everyone", () => {
    const policy = {
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "es:*" },
        { Sid: "AnyAws", Effect: "Allow", Principal: { AWS: ["*"] }, Action: "es:*" },
        { Effect: "Deny", Principal: "*", Action: "es:*" },
        {
          Effect: "Allow",
          Principal: "*",
          Action: "es:*",
          Condition: { IpAddress: { "aws:SourceIp": "1.2.3.4" } },
        },
      ],
    };
    assert.deepEqual(openStatements(JSON.stringify(policy)), { ok: true, open: ["#1", '"AnyAws"'] });
  });

  it("reports a document that is not JSON", () => {
    const result = openStatements("{not json");
    assert.equal(result.ok, false);
  });
});
