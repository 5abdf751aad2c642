// openStatements: which statements of an IAM resource policy allow anyone, and which documents are not policies.
import * as assert from "assert";
import { openStatements } from "../../policy/rules/access-policy";

const ROLE_ARN = "arn:aws:iam::123456789012:role/firehose";
const OPEN = { Effect: "Allow", Principal: "*", Action: "es:*", Resource: "*" };

/** The open statements of a document whose Statement is `statement`. */
function openOf(statement: unknown): readonly string[] {
  const result = openStatements({ Version: "2012-10-17", Statement: statement });
  assert.ok(result.ok, "expected a valid policy document");
  return result.open;
}

/** What JSON.parse says about `text`, which the error quotes. */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

describe("openStatements", () => {
  it("reads a policy given as a JSON string and as an object alike", () => {
    const policy = { Statement: [{ Sid: "Anyone", ...OPEN }] };
    assert.deepEqual(openStatements(JSON.stringify(policy)), { ok: true, open: ['"Anyone"'] });
    assert.deepEqual(openStatements(policy), { ok: true, open: ['"Anyone"'] });
  });

  it("rejects a string that is not JSON, quoting the parser", () => {
    const text = '{"Statement": [';
    assert.deepEqual(openStatements(text), { ok: false, error: `is not valid JSON (${parseError(text)})` });
  });

  it("rejects JSON that is not an object: a double-encoded policy, null, a number", () => {
    const notObject = { ok: false, error: "is not a policy document object" };
    assert.deepEqual(openStatements(JSON.stringify(JSON.stringify({ Statement: [OPEN] }))), notObject);
    assert.deepEqual(openStatements("null"), notObject);
    assert.deepEqual(openStatements(42), notObject);
  });

  it("takes a single Statement object like a list of one, and a missing Statement as allowing no one", () => {
    assert.deepEqual(openOf(OPEN), ["#1"]);
    assert.deepEqual(openOf([OPEN]), ["#1"]);
    assert.deepEqual(openStatements({ Version: "2012-10-17" }), { ok: true, open: [] });
  });

  it("skips statements that are not objects, but counts them in the positions it names", () => {
    assert.deepEqual(openOf(["es:*", null, OPEN]), ["#3"]);
  });

  it("names an open statement by its Sid, or by its position when the Sid is empty or absent", () => {
    assert.deepEqual(openOf([{ Sid: "Anyone", ...OPEN }, { Sid: "", ...OPEN }, OPEN]), [
      '"Anyone"',
      "#2",
      "#3",
    ]);
  });

  it("counts Principal '*', {AWS: '*'} and an AWS list holding '*' as anyone", () => {
    const principals = ["*", { AWS: "*" }, { AWS: [ROLE_ARN, "*"] }];
    assert.deepEqual(openOf(principals.map((Principal) => ({ ...OPEN, Principal }))), ["#1", "#2", "#3"]);
  });

  it("does not count named principals, services, a wildcard inside an ARN, or a missing Principal", () => {
    const principals = [
      { AWS: ROLE_ARN },
      { AWS: [ROLE_ARN] },
      { Service: "firehose.amazonaws.com" },
      { AWS: "arn:aws:iam::*:root" },
      ROLE_ARN,
      null,
      undefined,
    ];
    assert.deepEqual(openOf(principals.map((Principal) => ({ ...OPEN, Principal }))), []);
  });

  it("does not count Deny statements, nor Allow statements narrowed by a Condition", () => {
    const narrowed = { ...OPEN, Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } };
    assert.deepEqual(openOf([{ ...OPEN, Effect: "Deny" }, narrowed]), []);
  });

  it("counts an Allow for anyone whose Condition is empty or null as open", () => {
    assert.deepEqual(
      openOf([
        { ...OPEN, Condition: {} },
        { ...OPEN, Condition: null },
      ]),
      ["#1", "#2"],
    );
  });
});
