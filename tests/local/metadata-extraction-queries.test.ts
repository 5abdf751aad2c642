// Which queries take the fast path, and how each engine answers records and queries it cannot use.
import * as assert from "node:assert/strict";
import { compileMetadataQuery } from "../../local/metadata-extraction";

const records = (...texts: string[]) => texts.map((t) => Buffer.from(t));

/** What JSON.parse says about `text`. */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is JSON`);
}

describe("local: inline jq queries and their engines", () => {
  it("compiles an object of field paths, however spaced or quoted, to the fast path", async () => {
    const cases: [string, Record<string, string>][] = [
      ["{a:.a}", { a: "1" }],
      [' \n{ "a" : .b.c , d }\n ', { a: "2", d: "3" }],
      ["{\n  a: .a,\n  _x9: .b.c\n}", { a: "1", _x9: "2" }],
    ];
    for (const [query, keys] of cases) {
      const extractor = compileMetadataQuery(query);
      assert.equal(extractor.engine, "fast", query);
      assert.deepEqual(await extractor.extract(records('{"a":1,"b":{"c":2},"d":3}')), [{ ok: true, keys }]);
    }
  });

  it("leaves every other query to jq-wasm, and any query when asked to", () => {
    assert.equal(compileMetadataQuery("{a:.a}", { engine: "jq" }).engine, "jq");
    for (const query of [
      "{}",
      "{ }",
      ".a",
      "x {a:.a}",
      "{a:.a} x",
      "{a:.a,}",
      "{a:a}",
      "{a:.}",
      "{1a:.a}",
      '{"a b":.a}',
      "{x a:.a}",
      "{a:.a x}",
      "{a:.a | tostring}",
      '{"a:.a}',
    ]) {
      assert.equal(compileMetadataQuery(query).engine, "jq", query);
    }
  });

  it("the fast path reads only a record's own fields and says what it cannot index", async () => {
    const extractor = compileMetadataQuery("{c:.constructor, n:.n.x}");
    assert.deepEqual(await extractor.extract(records('{"n":{"x":1}}', '{"constructor":"k","n":7}')), [
      { ok: false, message: "partitionKeys values must not be null or empty, got c=null" },
      { ok: false, message: 'jq: error: Cannot index number with "x"' },
    ]);
    const flags = compileMetadataQuery("{v:.a.b}");
    assert.deepEqual(await flags.extract(records('{"a":false}', '{"a":[1]}', '{"a":{"b":false}}')), [
      { ok: false, message: 'jq: error: Cannot index boolean with "b"' },
      { ok: false, message: 'jq: error: Cannot index array with "b"' },
      { ok: true, keys: { v: "false" } },
    ]);
  });

  it("names a record that is not JSON, on either engine", async () => {
    for (const engine of [undefined, "jq" as const]) {
      const [out] = await compileMetadataQuery("{a:.a}", { engine }).extract(records("{"));
      assert.deepEqual(out, {
        ok: false,
        message: `record is not valid JSON: ${parseError("{")}`,
      });
    }
  });

  it("jq-wasm: each of many records gets its own result, across batches and around invalid records", async () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? "nope" : JSON.stringify({ n: i })));
    const out = await compileMetadataQuery("{n: (.n | tostring)}").extract(records(...texts));
    assert.equal(out.length, 40);
    out.forEach((e, i) => {
      if (i % 7 === 3) assert.match(e.ok ? "" : e.message, /^record is not valid JSON: /);
      else assert.deepEqual(e, { ok: true, keys: { n: String(i) } });
    });
  });

  it("jq-wasm: a query must give one object per record with usable values", async () => {
    const one = records('{"a":"x","b":"y"}');
    const answers = async (query: string) => (await compileMetadataQuery(query).extract(one))[0];
    assert.deepEqual(await answers(".a"), {
      ok: false,
      message: 'the query must produce a JSON object, got "x"',
    });
    assert.deepEqual(await answers("[.a]"), {
      ok: false,
      message: 'the query must produce a JSON object, got ["x"]',
    });
    assert.deepEqual(await answers("null"), {
      ok: false,
      message: "the query must produce a JSON object, got null",
    });
    assert.deepEqual(await answers("{a:.a}, {b:.b}"), {
      ok: false,
      message: "the query must produce one object per record, got 2",
    });
    assert.deepEqual(await answers("empty"), {
      ok: false,
      message: "the query must produce one object per record, got 0",
    });
    assert.deepEqual(await answers('error("no country")'), { ok: false, message: "jq: error: no country" });
    assert.deepEqual(await answers("error({code:1})"), { ok: false, message: 'jq: error: {"code":1}' });
    assert.deepEqual(await answers("{a:[.a]}"), {
      ok: false,
      message: 'partition key a must be a string, number or boolean, got ["x"]',
    });
  });

  it("jq-wasm: a query jq cannot run fails the batch with jq's own words", async () => {
    await assert.rejects(compileMetadataQuery("{a:").extract(records("{}")), (err: Error) =>
      err.message.startsWith('jq query "{a:" failed: jq: error: syntax error'),
    );
    // `halt` ends jq without output and without a message.
    await assert.rejects(compileMetadataQuery("halt").extract(records("{}")), {
      message: 'jq query "halt" failed: 0 outputs for 1 inputs',
    });
  });
});
