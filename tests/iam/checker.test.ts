// The checker itself: deliberately broken policies (tests/fixtures/iam/) must fail the same tables the stacks
// pass, with messages that name the role, the action and the resource.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { accessFailures } from "../../iam/access-table";
import { parsePolicyDocument } from "../../iam/policy-document";
import { StackIam, StackRole } from "../../iam/stack-iam";
import { trustProblems } from "../../iam/trust-policy";
import { PipelineFacts, StackUnderTest, stackUnderTest } from "./support/stack-under-test";
import { s3DeliveryTable } from "./tables/s3";
import { FIREHOSE, trustTable } from "./tables/trust";

const FIXTURES = path.join(__dirname, "..", "fixtures", "iam");

/** A fixture policy with `${name}` placeholders filled from `values`. */
function fixture(file: string, values: Record<string, string> = {}) {
  const text = fs.readFileSync(path.join(FIXTURES, file), "utf8");
  const filled = text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`${file}: no value for \${${name}}`);
    return values[name];
  });
  return parsePolicyDocument(filled, file);
}

/** The stack's IAM with one role replaced. */
function withRole(iam: StackIam, role: StackRole): StackIam {
  return { ...iam, roles: iam.roles.map((r) => (r.arn === role.arn ? role : r)) };
}

describe("least-privilege checker, on deliberately broken policies", () => {
  let dev: StackUnderTest;
  let events: PipelineFacts;
  before(async () => {
    dev = await stackUnderTest("dev");
    events = dev.pipelines[0];
  });

  it("reports a typo'd action, a too-broad grant and a missing encryption-context condition", async () => {
    const { bucketArn, keyArn, functionArn, region } = dev.facts;
    const broken: StackRole = {
      ...events.role,
      identityPolicies: [
        {
          name: "broken-fixture",
          document: fixture("broken-delivery-role-policy.json", {
            bucketArn,
            keyArn,
            functionArn,
            region,
            logGroupArn: events.logGroupArn,
          }),
        },
      ],
    };
    const failures = await accessFailures(
      withRole(dev.iam, broken),
      s3DeliveryTable(dev.facts, { ...events, role: broken }, dev.pipelines),
    );

    const object = (prefix: string) =>
      `${bucketArn}/${prefix}2026/01/01/00/stream-1-2026-01-01-00-00-00-uuid.gz`;
    assert.deepEqual(
      failures.map((f) => /^role '([^']+)': (\S+) on (\S+)/.exec(f)?.slice(1)),
      [
        ["events-role", "s3:PutObject", object(events.lakePrefix)],
        ["events-role", "s3:PutObject", object("errors/")],
        ["events-role", "s3:DeleteObject", `${bucketArn}/data/2026/01/01/00/object.gz`],
        ["events-role", "s3:DeleteObjectVersion", `${bucketArn}/data/2026/01/01/00/object.gz`],
        ["events-role", "kms:Decrypt", keyArn],
      ],
    );
    assert.equal(
      failures[0],
      `role 'events-role': s3:PutObject on ${object(events.lakePrefix)} must be allowed (Firehose delivers to ` +
        `s3://…/${events.lakePrefix}), but is ImplicitlyDenied: no statement of the caller's policies allows it`,
    );
    assert.match(
      failures[2],
      /must be denied \(Firehose never deletes delivered data\), but is Allowed: allowed by broken-fixture\/TidyUpTheLake$/,
    );
  });

  it("reports a trust policy open to another account and without the confused-deputy condition", async () => {
    const broken: StackRole = { ...events.role, trustPolicy: fixture("broken-trust-policy.json") };
    assert.deepEqual(trustProblems(broken, FIREHOSE), [
      `role 'events-role': trust statement #1 lets {"Service":"firehose.amazonaws.com","AWS":"arn:aws:iam::999999999999:root"} assume it; only firehose.amazonaws.com may`,
      `role 'events-role': trust statement #1 allows ["sts:AssumeRole","sts:TagSession"]; a service role needs sts:AssumeRole only`,
      "role 'events-role': trust statement #1 does not require sts:ExternalId (StringEquals/StringLike/ArnEquals/ArnLike): " +
        "firehose.amazonaws.com sends it, and without it any account's resource could make the service act with this role (confused deputy)",
    ]);
    const failures = await accessFailures(withRole(dev.iam, broken), trustTable(dev.facts, broken, FIREHOSE));
    assert.deepEqual(
      failures.map((f) => f.replace(/ must be denied.*/, "")),
      [
        `role 'events-role': sts:AssumeRole on ${broken.arn} asked by firehose.amazonaws.com`,
        `role 'events-role': sts:AssumeRole on ${broken.arn} asked by firehose.amazonaws.com with {"sts:ExternalId":"999999999999"}`,
      ],
    );
  });

  it("reports a request the simulator rejects instead of passing it", async () => {
    const table = {
      role: events.role,
      mustAllow: [],
      mustDeny: [
        { action: "s3:PutObjects", resource: `${dev.facts.bucketArn}/x`, because: "a typo in the table" },
      ],
    };
    const [failure] = await accessFailures(dev.iam, table);
    assert.match(
      failure,
      /^role 'events-role': s3:PutObjects on arn:aws:s3:::\S+\/x must be denied \(a typo in the table\), but is InvalidRequest: the simulator rejects it/,
    );
  });
});
