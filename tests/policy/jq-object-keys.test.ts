// The keys of a MetadataExtractionQuery, read the way jq 1.6 (Firehose's) reads an object construction: each
// query below is asserted on the whole result, so a wrong key, a lost key or a vaguer error all show.
import * as assert from "assert";
import { jqObjectKeys } from "../../policy/rules/jq-object-keys";

const NOT_AN_OBJECT = "is not a jq object construction such as {customer_id: .customer_id}";
const STRAY_COMMA = "has an empty entry (a stray comma)";
const notAKey = (entry: string) => ({
  ok: false,
  error: `has an entry jq cannot use as an object key: ${entry}`,
});

describe("jqObjectKeys: keys jq 1.6 produces", () => {
  it("ignores whitespace around the query, the keys and the colons", () => {
    assert.deepEqual(jqObjectKeys("\n  { customer_id : .customer.id ,\n  region }  \n"), {
      ok: true,
      keys: ["customer_id", "region"],
      complete: true,
    });
  });

  it("reads the empty object {} as a query with no keys", () => {
    for (const query of ["{}", "{ }", " {\n} "]) {
      assert.deepEqual(jqObjectKeys(query), { ok: true, keys: [], complete: true }, query);
    }
  });

  it("reads the shorthand {$ENV} as the key ENV: the one variable jq 1.6 defines without --arg", () => {
    assert.deepEqual(jqObjectKeys("{id: .id, $ENV}"), { ok: true, keys: ["id", "ENV"], complete: true });
  });

  it("allows one trailing comma, as jq 1.6 does", () => {
    for (const query of ["{a: .x,}", "{a: .x, }", "{a: .x, b: .y ,\n}"]) {
      assert.deepEqual(jqObjectKeys(query).ok, true, query);
    }
    assert.deepEqual(jqObjectKeys("{a: .x, b: .y,}"), { ok: true, keys: ["a", "b"], complete: true });
  });

  it("reads a quoted key with escaped quotes around a comma, and the empty key", () => {
    assert.deepEqual(jqObjectKeys('{"say \\"hi, you\\"": .a, "": .b}'), {
      ok: true,
      keys: ['say "hi, you"', ""],
      complete: true,
    });
  });

  it("names a quoted key that JSON cannot parse (a raw tab) by its raw text", () => {
    assert.deepEqual(jqObjectKeys('{"a\tb": .x}'), { ok: true, keys: ["a\tb"], complete: true });
  });

  it("does not split at commas, colons or brackets inside a string value", () => {
    assert.deepEqual(jqObjectKeys('{a: "x,y", b: "}", c: "{[(", d: .d}'), {
      ok: true,
      keys: ["a", "b", "c", "d"],
      complete: true,
    });
  });
});

describe("jqObjectKeys: queries it refuses, with the reason", () => {
  it("refuses a query that is not one object construction", () => {
    for (const query of ["(.a)", "[.a, .b]", "{a: .x} + {b: .y}", "{a: .x} | {b: .a}", "{a", "a: .x}"]) {
      assert.deepEqual(jqObjectKeys(query), { ok: false, error: NOT_AN_OBJECT }, query);
    }
  });

  it("names a stray comma, whitespace or not", () => {
    for (const query of ["{,}", "{a: .x,,}", "{a: .x, , b: .y}", "{,a: .x}"]) {
      assert.deepEqual(jqObjectKeys(query), { ok: false, error: STRAY_COMMA }, query);
    }
  });

  it("quotes the entry whose key jq cannot use, trimmed", () => {
    assert.deepEqual(jqObjectKeys("{a: .x,  .b: 1 }"), notAKey(".b: 1"));
    assert.deepEqual(jqObjectKeys("{customer-id: .x}"), notAKey("customer-id: .x"));
    assert.deepEqual(jqObjectKeys("{a b: .x}"), notAKey("a b: .x"));
  });

  it("refuses {$name: value}, which jq 1.6 does not parse (jq 1.7 takes the key from $name's value)", () => {
    assert.deepEqual(jqObjectKeys("{$key: .x}"), notAKey("$key: .x"));
  });

  it("refuses the shorthand {$name} of a variable the query never defines, naming it", () => {
    assert.deepEqual(jqObjectKeys("{id: .id, $customer_id}"), {
      ok: false,
      error:
        "uses $customer_id, a variable a MetadataExtractionQuery never defines (jq 1.6 does not compile it)",
    });
  });

  it("refuses a variable key that is not a whole $name", () => {
    for (const entry of ["a$key", "$key.a", "$1key"]) {
      assert.deepEqual(jqObjectKeys(`{${entry}}`), notAKey(entry), entry);
    }
  });

  it("refuses a key that is only partly quoted", () => {
    for (const entry of ['"a"b: 1', 'a"b": 1']) {
      assert.deepEqual(jqObjectKeys(`{${entry}}`), notAKey(entry), entry);
    }
  });

  it("refuses an expression key that is not wholly parenthesised", () => {
    for (const entry of ['(.a) + "x": 1', ".a + (.b): 1", "(.a) + (.b): 1", '"a" + "b": 1', '"a" "b": 1']) {
      assert.deepEqual(jqObjectKeys(`{${entry}}`), notAKey(entry), entry);
    }
  });

  it("refuses a parenthesised key without a value, which only a name or a string may omit", () => {
    assert.deepEqual(jqObjectKeys("{(.a)}"), notAKey("(.a)"));
  });
});

describe("jqObjectKeys: computed keys", () => {
  it("reads a parenthesised key, and an interpolated string key even with strings inside, as computed", () => {
    for (const entry of ["(.a + .b): 1", '"k-\\(.a + "x")": 1', '"\\(.a)-\\(.b)": 1']) {
      assert.deepEqual(
        jqObjectKeys(`{id: .id, ${entry}}`),
        { ok: true, keys: ["id"], complete: false },
        entry,
      );
    }
  });
});
