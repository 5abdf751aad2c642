import * as assert from "node:assert/strict";
import { matchesDropRule, parseDropRules } from "../../lambda/transform/drop-rules";

describe("drop rules", () => {
  it("parses equals and in rules; unset or blank means none", () => {
    assert.deepEqual(parseDropRules(undefined), []);
    assert.deepEqual(parseDropRules("  "), []);
    const rules = parseDropRules(
      '[{"field":"action","equals":"healthcheck"},{"field":"meta.bot","in":[true,1,"yes"]}]',
    );
    assert.deepEqual(
      rules.map((rule) => [rule.field.path, rule.values]),
      [
        ["action", ["healthcheck"]],
        ["meta.bot", [true, 1, "yes"]],
      ],
    );
  });

  it("names the variable, the rule and the value in every error", () => {
    const cases: [string, string][] = [
      ["healthcheck", 'DROP_RULES must be a JSON array of rules, got "healthcheck"'],
      ['{"field":"action"}', 'DROP_RULES must be a JSON array of rules, got "{\\"field\\":\\"action\\"}"'],
      [
        '["action"]',
        'DROP_RULES[0] must be an object like {"field":"action","equals":"healthcheck"}, got "action"',
      ],
      ['[{"field":"","equals":1}]', 'DROP_RULES[0].field must be a non-empty string, got ""'],
      ['[{"field":7,"equals":1}]', "DROP_RULES[0].field must be a non-empty string, got 7"],
      ['[{"equals":1}]', "DROP_RULES[0].field must be a non-empty string, got undefined"],
      ["[1,", 'DROP_RULES must be a JSON array of rules, got "[1,"'],
      [
        '[{"field":"action"}]',
        'DROP_RULES[0] must have exactly one of "equals" or "in", got {"field":"action"}',
      ],
      [
        '[{"field":"a","equals":1,"in":[1]}]',
        'DROP_RULES[0] must have exactly one of "equals" or "in", got {"field":"a","equals":1,"in":[1]}',
      ],
      [
        '[{"field":"a","equal":1}]',
        'DROP_RULES[0] has unknown key "equal" (allowed: field, equals, in), got {"field":"a","equal":1}',
      ],
      [
        '[{"field":"a","equals":{"x":1}}]',
        'DROP_RULES[0].equals must be a string, number or boolean, got {"x":1}',
      ],
      ['[{"field":"a","equals":null}]', "DROP_RULES[0].equals must be a string, number or boolean, got null"],
      ['[{"field":"a","in":[]}]', "DROP_RULES[0].in must be a non-empty array, got []"],
      ['[{"field":"a","in":"x"}]', 'DROP_RULES[0].in must be a non-empty array, got "x"'],
      [
        '[{"field":"a","equals":1},{"field":"b","in":[1,[2]]}]',
        "DROP_RULES[1].in[1] must be a string, number or boolean, got [2]",
      ],
      ['[{"field":"a..b","equals":1}]', 'DROP_RULES[0].field has an empty segment in field path "a..b"'],
    ];
    for (const [text, message] of cases) assert.throws(() => parseDropRules(text), { message }, text);
  });

  it("shows at most 200 characters of a bad value, then ...", () => {
    // shown() quotes the text, so 198 characters show as 200 and 199 as 201.
    const fits = "x".repeat(198);
    assert.throws(() => parseDropRules(fits), {
      message: `DROP_RULES must be a JSON array of rules, got "${fits}"`,
    });
    const tooLong = "y".repeat(199);
    assert.throws(() => parseDropRules(tooLong), {
      message: `DROP_RULES must be a JSON array of rules, got "${"y".repeat(199)}...`,
    });
    const longValue = "z".repeat(300);
    assert.throws(() => parseDropRules(JSON.stringify([{ field: "a", in: [[longValue]] }])), {
      message: `DROP_RULES[0].in[0] must be a string, number or boolean, got ["${"z".repeat(198)}...`,
    });
  });

  it("matches strictly by value and type, at nested paths, never on absent fields", () => {
    const rules = parseDropRules(
      '[{"field":"action","equals":"healthcheck"},{"field":"meta.bot","in":[true,1]}]',
    );
    assert.equal(matchesDropRule({ action: "healthcheck" }, rules), true);
    assert.equal(matchesDropRule({ action: "Healthcheck" }, rules), false);
    assert.equal(matchesDropRule({ meta: { bot: true } }, rules), true);
    assert.equal(matchesDropRule({ meta: { bot: 1 } }, rules), true);
    assert.equal(matchesDropRule({ meta: { bot: "1" } }, rules), false);
    assert.equal(matchesDropRule({ meta: [{ bot: true }] }, rules), false);
    assert.equal(matchesDropRule({ "meta.bot": true }, rules), false);
    assert.equal(matchesDropRule({}, rules), false);
  });

  it("does not read inherited properties", () => {
    const rules = parseDropRules(
      '[{"field":"constructor","equals":"x"},{"field":"toString.name","equals":"toString"}]',
    );
    assert.equal(matchesDropRule({}, rules), false);
  });
});
