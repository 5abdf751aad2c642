// The pack's IAM catalogue policies (policy/iam-catalogue/): the rule functions on hand-made resources, the
// policy objects through their validate functions with complete @pulumi/policy 1.21 args, and both committed
// stacks through the pack's evaluation engine.
import { strict as assert } from "assert";
import { PolicyResource as SdkPolicyResource, StackValidationArgs } from "@pulumi/policy";
import { PolicyResource, evaluatePolicies } from "../../policy/evaluate";
import { IamCatalogue, loadIamCatalogue } from "../../policy/iam-catalogue/catalogue";
import { dataPlaneWildcards } from "../../policy/iam-catalogue/data-plane-wildcards";
import {
  iamCataloguePolicies,
  iamDataPlaneWildcards,
  iamKnownActionsAndConditionKeys,
} from "../../policy/iam-catalogue/index";
import { isWideResource } from "../../policy/iam-catalogue/resource-breadth";
import { unknownIamNames } from "../../policy/iam-catalogue/unknown-names";
import { Finding } from "../../policy/lib/findings";
import { StackResource } from "../../policy/lib/run-rule";
import { UnknownValue } from "../../policy/lib/unknown-values";
import { STACKS, stackUnderTest } from "./support/stack-under-test";

const ACCOUNT = "123456789012";
const BUCKET = "arn:aws:s3:::lake";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/5d08ee31-addb-db88-5f26-6db917c9e8f7`;
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const NAMES = { additionalActions: [], additionalConditionKeys: [] };
const WILDCARDS = {
  dataPlaneServices: ["firehose.amazonaws.com", "lambda.amazonaws.com"],
  allowedResourcePatterns: ["arn:*:ec2:*:*:network-interface/*"],
};

const urnOf = (type: string, name: string) => `urn:pulumi:test::firehose-etl::${type}::${name}`;

/** A resource as stack rules see it; `dependsOnRole` links a RolePolicy's `role` input to the role `delivery`. */
function resource(
  type: string,
  name: string,
  inputs: StackResource["inputs"],
  dependsOnRole = false,
): StackResource {
  return {
    type,
    name,
    urn: urnOf(type, name),
    inputs,
    dependencyUrns: [],
    propertyDependencyUrns: dependsOnRole ? { role: [urnOf(ROLE, "delivery")] } : {},
  };
}

const document = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Action: string | string[], Resource: string | string[], Condition?: object) => ({
  Sid: "Grant",
  Effect: "Allow",
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const trustedBy = (service: string) =>
  resource(ROLE, "delivery", {
    name: "delivery",
    assumeRolePolicy: document({
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
    }),
  });
const rolePolicy = (...statements: object[]) =>
  resource(
    ROLE_POLICY,
    "delivery-policy",
    { role: "delivery-1a2b3c", policy: document(...statements) },
    true,
  );

const messages = (findings: Finding[]) =>
  findings.map((f) => (f.kind === "violation" ? f.message : `skipped ${f.check}`));

describe("IAM catalogue policies (policy/iam-catalogue)", () => {
  let catalogue: IamCatalogue;
  before(async () => {
    catalogue = await loadIamCatalogue();
  });

  describe("unknown actions and condition keys (mandatory)", () => {
    const names = (...statements: object[]) =>
      messages(unknownIamNames([rolePolicy(...statements)], NAMES, catalogue));

    it("reports a typo'd action, naming the resource, the statement and the likely fix", () => {
      assert.deepEqual(names(allow(["s3:PutObjects", "s3:GetObject"], `${BUCKET}/*`)), [
        `RolePolicy 'delivery-policy': policy statement "Grant" names s3:PutObjects, which is not an IAM action ` +
          "(did you mean s3:PutObject?): IAM accepts it and grants nothing, so the call fails with AccessDenied at run time",
      ]);
    });

    it("reports made-up condition keys, service and global", () => {
      const condition = { StringEquals: { "s3:madeUpKey": "x", "aws:SourceAcount": ACCOUNT } };
      assert.deepEqual(names(allow("s3:GetObject", `${BUCKET}/*`, condition)), [
        `RolePolicy 'delivery-policy': policy statement "Grant" conditions on s3:madeUpKey, which is neither a ` +
          "global condition key nor one of s3's: the key is never in the request, so the condition never matches; " +
          "fix the key's name",
        `RolePolicy 'delivery-policy': policy statement "Grant" conditions on aws:SourceAcount, which is neither a ` +
          "global condition key nor one of aws's: the key is never in the request, so the condition never matches; " +
          "fix the key's name",
      ]);
    });

    it("reports an unknown service prefix and a pattern that matches no action", () => {
      assert.deepEqual(names(allow(["s4:GetObject", "s3:Put*Objects"], "*")), [
        `RolePolicy 'delivery-policy': policy statement "Grant" names s4:GetObject, but 's4' is not an IAM service prefix; fix the prefix`,
        `RolePolicy 'delivery-policy': policy statement "Grant" names s3:Put*Objects, which matches no s3 action; fix the pattern or name the actions`,
      ]);
    });

    it("accepts real actions, patterns, variable condition keys and identity-provider claims", () => {
      const conditions = {
        StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:CallerAccount": ACCOUNT },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": BUCKET,
          "aws:PrincipalTag/team": "data",
          "token.actions.githubusercontent.com:sub": "repo:org/*",
        },
      };
      assert.deepEqual(names(allow(["kms:GenerateDataKey*", "kms:Decrypt", "*"], KEY, conditions)), []);
    });

    it("accepts what the config adds, for names newer than the catalogue", () => {
      const config = { additionalActions: ["s3:PutObjects"], additionalConditionKeys: ["s3:madeUpKey"] };
      const policy = rolePolicy(allow("s3:PutObjects", "*", { StringEquals: { "s3:madeUpKey": "x" } }));
      assert.deepEqual(unknownIamNames([policy], config, catalogue), []);
    });

    it("reads trust policies, inline policies and resource policies; skips a document unknown at preview", () => {
      const unknown = new UnknownValue("policy", "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
      const resources = [
        resource(ROLE, "delivery", {
          assumeRolePolicy: document({
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalID": ACCOUNT, "sts:ExternalIdentity": ACCOUNT } },
          }),
          inlinePolicies: [{ name: "inline", policy: document(allow("lambda:InvokeFunctions", "*")) }],
        }),
        resource("aws:s3/bucketPolicy:BucketPolicy", "tls", {
          policy: document(allow("s3:GetObjects", "*")),
        }),
        resource("aws:kms/key:Key", "key", { policy: "{not json" }),
        resource(ROLE_POLICY, "later", { policy: unknown }),
      ];
      assert.deepEqual(
        messages(unknownIamNames(resources, NAMES, catalogue)).map((m) =>
          m.replace(/, which[^]*| is not JSON.*/, ""),
        ),
        [
          `Role 'delivery': assumeRolePolicy statement #1 conditions on sts:ExternalIdentity`,
          `Role 'delivery': inlinePolicies[0].policy statement "Grant" names lambda:InvokeFunctions`,
          `BucketPolicy 'tls': policy statement "Grant" names s3:GetObjects`,
          `Key 'key': policy`,
          "skipped IAM actions and condition keys exist",
        ],
      );
    });
  });

  describe("resource breadth", () => {
    const cases: [string, boolean][] = [
      [`${BUCKET}/*`, false],
      [`${BUCKET}/data/*`, false],
      [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:transform:*`, false],
      [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/transform:*`, false],
      [`arn:aws:es:eu-west-1:${ACCOUNT}:domain/search/events*/_mapping/*`, false],
      [`arn:aws:glue:eu-west-1:${ACCOUNT}:table/db/*`, false],
      [KEY, false],
      ["*", true],
      ["arn:aws:s3:::*", true],
      ["arn:aws:s3:::lake-*/*", true],
      [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`, true],
      [`arn:aws:kms:*:${ACCOUNT}:key/5d08ee31-addb-db88-5f26-6db917c9e8f7`, true],
      [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/*`, true],
      [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:*`, true],
      [`arn:aws:es:eu-west-1:${ACCOUNT}:domain/*`, true],
    ];
    for (const [arn, wide] of cases) {
      it(`${arn} is ${wide ? "wide" : "narrow"}`, () => assert.equal(isWideResource(arn, catalogue), wide));
    }
  });

  describe("wildcards on data-plane roles (advisory)", () => {
    const wildcards = (role: StackResource, ...statements: object[]) =>
      messages(dataPlaneWildcards([role, rolePolicy(...statements)], WILDCARDS, catalogue));

    it("reports wildcard actions and resources in the policies of a role Firehose assumes", () => {
      assert.deepEqual(
        wildcards(
          trustedBy("firehose.amazonaws.com"),
          allow(["s3:*", "kms:Decrypt"], [KEY, "arn:aws:s3:::*"]),
        ),
        [
          "RolePolicy 'delivery-policy' (policy of data-plane role 'delivery', assumed by firehose.amazonaws.com): " +
            `statement "Grant" allows s3:*; name the actions the service calls`,
          "RolePolicy 'delivery-policy' (policy of data-plane role 'delivery', assumed by firehose.amazonaws.com): " +
            `statement "Grant" grants on arn:aws:s3:::*; name the resources the stack made`,
        ],
      );
    });

    it("lets through Resource * for actions AWS cannot scope, and the configured ENI pattern", () => {
      const statements = [
        allow(["ec2:DescribeVpcs", "ec2:DescribeSubnets"], "*"),
        allow("ec2:CreateNetworkInterface", `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/*`),
      ];
      assert.deepEqual(wildcards(trustedBy("firehose.amazonaws.com"), ...statements), []);
      assert.equal(
        wildcards(trustedBy("firehose.amazonaws.com"), allow(["ec2:DescribeVpcs", "s3:GetObject"], "*"))
          .length,
        1,
      );
    });

    it("leaves roles of other services alone", () => {
      assert.deepEqual(wildcards(trustedBy("ec2.amazonaws.com"), allow("s3:*", "*")), []);
    });
  });

  describe("policy objects, through their validate functions", () => {
    /** Complete @pulumi/policy 1.21 SDK resources, as the analyzer passes them, linked by URN. */
    const sdkResources = (resources: StackResource[]): SdkPolicyResource[] => {
      const sdk = resources.map((r): SdkPolicyResource => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.inputs,
        opts: {
          protect: false,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }));
      resources.forEach((r, i) => {
        for (const [input, urns] of Object.entries(r.propertyDependencyUrns)) {
          sdk[i].propertyDependencies[input] = sdk.filter((other) => urns.includes(other.urn));
          sdk[i].dependencies.push(...sdk[i].propertyDependencies[input]);
        }
      });
      return sdk;
    };
    const validate = async (policy: typeof iamKnownActionsAndConditionKeys, resources: StackResource[]) => {
      const reported: string[] = [];
      const args: StackValidationArgs = {
        resources: sdkResources(resources),
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
          throw new Error(`not applicable: ${reason}`);
        },
      };
      await policy.validateStack(args, (message, urn) => reported.push(`${urn ?? "stack"}: ${message}`));
      return reported;
    };

    it("are a mandatory and an advisory stack policy with config schemas", () => {
      assert.deepEqual(
        iamCataloguePolicies.map((p) => [
          p.name,
          p.enforcementLevel,
          Object.keys(p.configSchema?.properties ?? {}),
        ]),
        [
          [
            "iam-known-actions-and-condition-keys",
            "mandatory",
            ["additionalActions", "additionalConditionKeys"],
          ],
          ["iam-data-plane-wildcards", "advisory", ["dataPlaneServices", "allowedResourcePatterns"]],
        ],
      );
    });

    it("iam-known-actions-and-condition-keys reports s3:PutObjects against the resource", async () => {
      const reported = await validate(iamKnownActionsAndConditionKeys, [
        rolePolicy(allow("s3:PutObjects", `${BUCKET}/*`)),
      ]);
      assert.equal(reported.length, 1);
      assert.match(
        reported[0],
        /^urn:pulumi:test::firehose-etl::aws:iam\/rolePolicy:RolePolicy::delivery-policy: RolePolicy 'delivery-policy': policy statement "Grant" names s3:PutObjects/,
      );
    });

    it("iam-data-plane-wildcards reports key/* on a Lambda role", async () => {
      const reported = await validate(iamDataPlaneWildcards, [
        trustedBy("lambda.amazonaws.com"),
        rolePolicy(allow("kms:Decrypt", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`)),
      ]);
      assert.equal(reported.length, 1);
      assert.match(
        reported[0],
        /assumed by lambda\.amazonaws\.com\): statement "Grant" grants on arn:aws:kms:eu-west-1:123456789012:key\/\*/,
      );
    });
  });

  for (const stack of STACKS) {
    it(`finds nothing in the ${stack} stack (through the pack's evaluation engine)`, async () => {
      const { resources } = await stackUnderTest(stack);
      const policyResources = resources.map((r): PolicyResource => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.inputs,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      }));
      assert.deepEqual(await evaluatePolicies(policyResources, { policies: iamCataloguePolicies }), []);
    });
  }
});
