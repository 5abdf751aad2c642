// Collecting a stack's IAM: the shapes the committed stacks do not use yet (attached managed policies, separate
// key and domain policies, secret policies, keys without a policy) are read the way AWS applies them.
import { strict as assert } from "assert";
import { collectStackIam, resourcePolicyFor } from "../../iam/stack-iam";
import { decide } from "../../iam/simulate";
import { StackResource } from "../../offline/evaluate-stack";

const ACCOUNT = "123456789012";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1111aaaa-2222-bbbb-3333-cccc4444dddd`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:partner-AbCdEf`;
const DOMAIN_ARN = `arn:aws:es:eu-west-1:${ACCOUNT}:domain/search`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/delivery-1a2b3c`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/read-partner`;

function recorded(type: string, name: string, inputs: StackResource["inputs"], state = {}): StackResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::firehose-etl::${type}::${name}`,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
    inputs,
    state: { ...inputs, ...state },
  };
}

const document = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = document({
  Effect: "Allow",
  Principal: { Service: "firehose.amazonaws.com" },
  Action: "sts:AssumeRole",
});
const role = recorded(
  "aws:iam/role:Role",
  "delivery",
  { assumeRolePolicy: trust },
  { name: "delivery-1a2b3c", arn: ROLE_ARN },
);

describe("collecting a stack's IAM", () => {
  it("includes attached customer-managed policies and refuses ones it cannot see", () => {
    const managed = recorded(
      "aws:iam/policy:Policy",
      "read-partner",
      {
        policy: document({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN }),
      },
      { arn: POLICY_ARN, name: "read-partner" },
    );
    const attach = (policyArn: string) =>
      recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", {
        role: "delivery-1a2b3c",
        policyArn,
      });
    const iam = collectStackIam([role, managed, attach(POLICY_ARN)], ACCOUNT);
    assert.deepEqual(
      iam.roles[0].identityPolicies.map((p) => p.name),
      ["read-partner"],
    );
    const awsManaged = "arn:aws:iam::aws:policy/AdministratorAccess";
    assert.throws(
      () => collectStackIam([role, attach(awsManaged)], ACCOUNT),
      /Role 'delivery': attached policy arn:aws:iam::aws:policy\/AdministratorAccess is not created by the stack/,
    );
  });

  it("reads secret policies, lets a separate key or domain policy replace the resource's own, and defaults a key's", async () => {
    const denyAll = document({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" });
    const allowRole = document({
      Effect: "Allow",
      Principal: { AWS: ROLE_ARN },
      Action: "es:ESHttpPost",
      Resource: `${DOMAIN_ARN}/*`,
    });
    const iam = collectStackIam(
      [
        role,
        recorded(
          "aws:kms/key:Key",
          "key",
          { policy: denyAll },
          { arn: KEY_ARN, keyId: "1111aaaa-2222-bbbb-3333-cccc4444dddd" },
        ),
        recorded("aws:kms/keyPolicy:KeyPolicy", "key-policy", { keyId: KEY_ARN, policy: allowRole }),
        recorded("aws:kms/key:Key", "bare", {}, { arn: `${KEY_ARN}0`, keyId: "bare" }),
        recorded("aws:secretsmanager/secretPolicy:SecretPolicy", "secret-policy", {
          secretArn: SECRET_ARN,
          policy: denyAll,
        }),
        recorded(
          "aws:opensearch/domain:Domain",
          "domain",
          { accessPolicies: denyAll },
          { arn: DOMAIN_ARN, domainName: "search" },
        ),
        recorded("aws:opensearch/domainPolicy:DomainPolicy", "domain-policy", {
          domainName: "search",
          accessPolicies: allowRole,
        }),
      ],
      ACCOUNT,
    );
    assert.deepEqual(
      iam.resourcePolicies.map((p) => [p.source, p.resourceArn]),
      [
        ["KeyPolicy 'key-policy'", KEY_ARN],
        ["Key 'bare' (default key policy)", `${KEY_ARN}0`],
        ["SecretPolicy 'secret-policy'", SECRET_ARN],
        ["DomainPolicy 'domain-policy'", DOMAIN_ARN],
      ],
    );
    assert.equal(
      resourcePolicyFor(iam, `${DOMAIN_ARN}/events/_bulk`)?.source,
      "DomainPolicy 'domain-policy'",
    );
    // Same account: the domain policy alone admits the role; the secret policy's Deny wins over any grant.
    const post = await decide(iam, {
      principal: ROLE_ARN,
      action: "es:ESHttpPost",
      resource: `${DOMAIN_ARN}/_bulk`,
    });
    assert.equal(post.result, "Allowed");
    const read = await decide(iam, {
      principal: ROLE_ARN,
      action: "secretsmanager:GetSecretValue",
      resource: SECRET_ARN,
    });
    assert.deepEqual(read, {
      result: "ExplicitlyDenied",
      reason: "denied by SecretPolicy 'secret-policy'/#1",
    });
  });
});
