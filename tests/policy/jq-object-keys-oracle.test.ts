// jqObjectKeys against jq 1.6 itself (the version Firehose runs): every object construction below is accepted
// by one exactly when jq compiles it, and where both accept, jq's output has exactly the keys we read.
import * as assert from "assert";
import { spawnSync } from "child_process";
import { jqObjectKeys } from "../../policy/rules/jq-object-keys";

const OBJECT_CONSTRUCTIONS = [
  "{}",
  "{customer_id: .customer.id, region}",
  "{$customer_id}",
  "{id: .id, $ENV}",
  "{a: .x, b: .y,}",
  "{a: .x,,}",
  "{,}",
  '{"say \\"hi, you\\"": .a, "": .b}',
  '{a: "x,y", b: "}", c: "{[(", d: .d}',
  '{"a"}',
  "{if: 1}",
  "{$key: .x}",
  "{.b: 1}",
  "{customer-id: .x}",
  "{a b: .x}",
  '{"a"b: 1}',
  '{a"b": 1}',
  '{(.a) + "x": 1}',
  "{.a + (.b): 1}",
  "{(.a) + (.b): 1}",
  '{"a" + "b": 1}',
  '{"a" "b": 1}',
  "{(.a)}",
  "{a: .x,}",
  "{,a: .x}",
];

const RECORD = '{"customer": {"id": "c1"}, "region": "eu", "a": "p", "b": "q", "d": 1, "x": 2}';

/** Whether jq compiles `query` and, when it does, the keys of what it makes of a record. */
function askJq(query: string): { compiles: boolean; keys?: string[] } {
  // The record is part of the program (-n), so jq reads no input: one that fails to compile exits before it would.
  const run = spawnSync("jq", ["-n", "-c", `${RECORD} | ${query} | keys_unsorted`], { encoding: "utf8" });
  // jq exits 3 when the program does not compile.
  return run.status === 3 ? { compiles: false } : { compiles: true, keys: JSON.parse(run.stdout) };
}

describe("policy: jq object keys against jq 1.6 itself", () => {
  before(function () {
    const version = spawnSync("jq", ["--version"], { encoding: "utf8" });
    if (version.error !== undefined || version.stdout.trim() !== "jq-1.6") {
      console.log(
        `    skipped: jq 1.6 is not installed (${version.stdout?.trim() || version.error?.message})`,
      );
      this.skip();
    }
  });

  it(`accepts exactly the object constructions jq 1.6 compiles, with jq's keys (${OBJECT_CONSTRUCTIONS.length} queries)`, () => {
    const disagreements: string[] = [];
    for (const query of OBJECT_CONSTRUCTIONS) {
      const jq = askJq(query);
      const ours = jqObjectKeys(query);
      if (jq.compiles !== ours.ok) {
        disagreements.push(`${query}: jq ${jq.compiles ? "compiles" : "refuses"} it, we do not`);
      } else if (ours.ok && ours.complete) {
        assert.deepEqual(ours.keys, jq.keys, query);
      }
    }
    assert.deepEqual(disagreements, []);
  });
});
