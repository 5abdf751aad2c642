// opensearch-domain-access and opensearch-domain-policy-access: who can reach a domain, and over what.
import * as assert from "assert";
import { openSearchDomainAccess } from "../../policy/policies/opensearch-domain-access";
import { openSearchDomainPolicyAccess } from "../../policy/policies/opensearch-domain-policy-access";
import { PolicyResource } from "../../policy/evaluate";
import { openSearchDomain, publicOpenSearchDomain } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

const DOMAIN = "Domain 'search': ";
const DOMAIN_POLICY_TYPE = "aws:opensearch/domainPolicy:DomainPolicy";
const FIX = "give a valid IAM policy document";
/** Two statements that allow anyone: one named, one not. */
const TWO_OPEN = JSON.stringify({
  Statement: [
    { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "es:*", Resource: "*" },
    { Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet", Resource: "*" },
  ],
});
const OPEN = JSON.stringify({
  Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "es:*", Resource: "*" }],
});
/** A policy a user encoded twice: valid JSON, but a string rather than a policy document. */
const DOUBLE_ENCODED = JSON.stringify(OPEN);

describe("opensearch-domain-access", () => {
  const violationsOf = (
    props: Record<string, unknown>,
    config = {},
    level: "mandatory" | "advisory" = "mandatory",
  ) => messagesOf(evaluate(openSearchDomainAccess, resource(TYPES.domain, props, "search"), config), level);
  const publicDomain = (accessPolicies: unknown) => patched(publicOpenSearchDomain(), { accessPolicies });

  it("names every open statement of a public domain's policy", async () => {
    assert.deepEqual(await violationsOf(publicDomain(TWO_OPEN)), [
      `${DOMAIN}accessPolicies statement "Anyone", #2 allows Principal "*" without a Condition on a domain ` +
        "outside a VPC, so anyone on the internet can reach it: put the domain in a VPC (vpcOptions) or name the " +
        "principals (the Firehose role) in the policy",
    ]);
  });

  it("treats vpcOptions with an empty subnet list as a public domain", async () => {
    const domain = patched(publicDomain(OPEN), { vpcOptions: { subnetIds: [] } });
    assert.deepEqual(await violationsOf(domain), [
      `${DOMAIN}accessPolicies statement "Anyone" allows Principal "*" without a Condition on a domain outside a ` +
        "VPC, so anyone on the internet can reach it: put the domain in a VPC (vpcOptions) or name the principals " +
        "(the Firehose role) in the policy",
    ]);
    const config = { "opensearch-domain-access": { requireVpc: true } };
    assert.deepEqual(await violationsOf(domain, config), [
      `${DOMAIN}vpcOptions.subnetIds is not set, so the domain has a public endpoint: put it in a VPC`,
    ]);
  });

  it("takes a domain whose subnets are created in the same deployment to be in a VPC", async () => {
    const domain = patched(openSearchDomain(), { accessPolicies: OPEN, vpcOptions: { subnetIds: UNKNOWN } });
    assert.deepEqual(await violationsOf(domain), []);
    assert.deepEqual(await violationsOf(domain, {}, "advisory"), []);
  });

  it("notes a domain whose vpcOptions are unknown at preview, and reports no reach violation", async () => {
    const domain = patched(publicDomain(OPEN), { vpcOptions: UNKNOWN });
    assert.deepEqual(await violationsOf(domain), []);
    assert.deepEqual(await violationsOf(domain, {}, "advisory"), [
      "can't run policy 'opensearch-domain-access' during preview: not checked until the values are known at " +
        "deployment: vpcOptions (the domain is in a VPC or restricts its access policy)",
    ]);
  });

  it("notes a public domain whose access policy is unknown at preview", async () => {
    const domain = publicDomain(UNKNOWN);
    assert.deepEqual(await violationsOf(domain), []);
    assert.deepEqual(await violationsOf(domain, {}, "advisory"), [
      "can't run policy 'opensearch-domain-access' during preview: not checked until the values are known at " +
        "deployment: accessPolicies (the access policy of a public domain allows no anonymous access)",
    ]);
  });

  it("passes a public domain without an access policy, which grants no one", async () => {
    assert.deepEqual(await violationsOf(publicDomain(undefined)), []);
  });

  it("rejects an access policy that is not a policy document", async () => {
    assert.deepEqual(await violationsOf(publicDomain(DOUBLE_ENCODED)), [
      `${DOMAIN}accessPolicies is not a policy document object: ${FIX}`,
    ]);
    const [invalid] = await violationsOf(publicDomain("{"));
    assert.match(
      invalid,
      /^Domain 'search': accessPolicies is not valid JSON \(.+\): give a valid IAM policy document$/,
    );
  });

  it("rejects a domain that leaves enforceHttps and tlsSecurityPolicy unset", async () => {
    const domain = patched(openSearchDomain(), { domainEndpointOptions: undefined });
    assert.deepEqual(await violationsOf(domain), [
      `${DOMAIN}domainEndpointOptions.enforceHttps is not set: set it to true so clients cannot talk plain HTTP`,
      `${DOMAIN}domainEndpointOptions.tlsSecurityPolicy is not set: set it to one of Policy-Min-TLS-1-2-2019-07, ` +
        "Policy-Min-TLS-1-2-PFS-2023-10",
    ]);
  });

  it("accepts the TLS policies that config allows, and only those", async () => {
    const config = { "opensearch-domain-access": { allowedTlsPolicies: ["Policy-Min-TLS-1-2-2019-07"] } };
    assert.deepEqual(await violationsOf(openSearchDomain(), config), [
      `${DOMAIN}domainEndpointOptions.tlsSecurityPolicy is "Policy-Min-TLS-1-2-PFS-2023-10": set it to one of ` +
        "Policy-Min-TLS-1-2-2019-07",
    ]);
    const older = patched(openSearchDomain(), {
      domainEndpointOptions: { tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
    });
    assert.deepEqual(await violationsOf(older, config), []);
  });

  it("notes endpoint options that are unknown at preview", async () => {
    const domain = patched(openSearchDomain(), {
      domainEndpointOptions: { enforceHttps: UNKNOWN, tlsSecurityPolicy: UNKNOWN },
    });
    assert.deepEqual(await violationsOf(domain), []);
    assert.deepEqual(await violationsOf(domain, {}, "advisory"), [
      "can't run policy 'opensearch-domain-access' during preview: not checked until the values are known at " +
        "deployment: domainEndpointOptions.enforceHttps (HTTPS is enforced); " +
        "domainEndpointOptions.tlsSecurityPolicy (TLS policy is a TLS 1.2 one)",
    ]);
  });
});

describe("opensearch-domain-policy-access", () => {
  const LABEL = "DomainPolicy 'search-policy': ";
  const publicDomain = () => patched(publicOpenSearchDomain(), { accessPolicies: undefined });
  const domainPolicy = (props: Record<string, unknown>, links = {}) =>
    resource(DOMAIN_POLICY_TYPE, props, "search-policy", links);
  /** The domain, and a DomainPolicy joined to it through its domainName output. */
  const joined = (domain: Record<string, unknown>, accessPolicies: unknown): PolicyResource[] => {
    const target = resource(TYPES.domain, domain, "search");
    return [
      target,
      domainPolicy(
        { domainName: UNKNOWN, accessPolicies },
        { propertyDependencies: { domainName: [target.urn] } },
      ),
    ];
  };
  const violationsOf = async (
    resources: PolicyResource[],
    config = {},
    level: "mandatory" | "advisory" = "mandatory",
  ) =>
    (await evaluate(openSearchDomainPolicyAccess, resources, config))
      .filter((v) => v.level === level)
      .map((v) => [v.urn, v.message]);
  const openOutside = (where: string, statements = '"Anyone"') =>
    `${LABEL}accessPolicies statement ${statements} allows Principal "*" without a Condition and ${where}, so ` +
    "anyone on the internet can reach the domain: put the domain in a VPC (vpcOptions) or name the principals " +
    "(the Firehose role) in the policy";
  const POLICY_URN = domainPolicy({}).urn;

  it("names every open statement of a DomainPolicy on a public domain, against the DomainPolicy", async () => {
    assert.deepEqual(await violationsOf(joined(publicDomain(), TWO_OPEN)), [
      [POLICY_URN, openOutside("its domain Domain 'search' is outside a VPC", '"Anyone", #2')],
    ]);
  });

  it("joins a DomainPolicy by name to that domain, not to another domain of the stack", async () => {
    const resources = [
      resource(TYPES.domain, patched(openSearchDomain(), { domainName: "logs" }), "logs"),
      resource(TYPES.domain, publicDomain(), "search"),
      domainPolicy({ domainName: "search", accessPolicies: OPEN }),
    ];
    assert.deepEqual(await violationsOf(resources), [
      [POLICY_URN, openOutside("its domain Domain 'search' is outside a VPC")],
    ]);
    const inVpc = [
      resource(TYPES.domain, publicDomain(), "search"),
      resource(TYPES.domain, patched(openSearchDomain(), { domainName: "logs" }), "logs"),
      domainPolicy({ domainName: "logs", accessPolicies: OPEN }),
    ];
    assert.deepEqual(await violationsOf(inVpc), []);
  });

  it("does not join a DomainPolicy to a domain of the stack with another name", async () => {
    const resources = [
      resource(TYPES.domain, openSearchDomain(), "search"),
      domainPolicy({ domainName: "logs", accessPolicies: OPEN }),
    ];
    assert.deepEqual(await violationsOf(resources), [
      [POLICY_URN, openOutside("its domain ('logs') is not in this stack, so not known to be in a VPC")],
    ]);
  });

  it("calls a domain it cannot name 'unnamed'", async () => {
    const resources = [domainPolicy({ accessPolicies: OPEN })];
    assert.deepEqual(await violationsOf(resources), [
      [POLICY_URN, openOutside("its domain (unnamed) is not in this stack, so not known to be in a VPC")],
    ]);
  });

  it("does not join a DomainPolicy without a domain name to a domain of the stack that has none either", async () => {
    const resources = [
      resource(TYPES.domain, patched(openSearchDomain(), { domainName: undefined }), "search"),
      domainPolicy({ accessPolicies: OPEN }),
    ];
    assert.deepEqual(await violationsOf(resources), [
      [POLICY_URN, openOutside("its domain (unnamed) is not in this stack, so not known to be in a VPC")],
    ]);
  });

  it("notes a DomainPolicy whose domain's vpcOptions are unknown at preview", async () => {
    const resources = joined(patched(publicDomain(), { vpcOptions: UNKNOWN }), OPEN);
    assert.deepEqual(await violationsOf(resources), []);
    assert.deepEqual(await violationsOf(resources, {}, "advisory"), [
      [
        undefined,
        "can't run policy 'opensearch-domain-policy-access' during preview: not checked until the values are " +
          "known at deployment: vpcOptions (the domain of the DomainPolicy is in a VPC or the policy is restrictive)",
      ],
    ]);
  });

  it("notes a DomainPolicy on a public domain whose document is unknown at preview", async () => {
    const resources = joined(publicDomain(), UNKNOWN);
    assert.deepEqual(await violationsOf(resources), []);
    assert.deepEqual(await violationsOf(resources, {}, "advisory"), [
      [
        undefined,
        "can't run policy 'opensearch-domain-policy-access' during preview: not checked until the values are " +
          "known at deployment: accessPolicies (the DomainPolicy of a public domain allows no anonymous access)",
      ],
    ]);
  });

  it("rejects a DomainPolicy document that is not a policy document, against the DomainPolicy", async () => {
    assert.deepEqual(await violationsOf(joined(publicDomain(), DOUBLE_ENCODED)), [
      [POLICY_URN, `${LABEL}accessPolicies is not a policy document object: ${FIX}`],
    ]);
    const [[urn, message]] = await violationsOf(joined(publicDomain(), "{"));
    assert.equal(urn, POLICY_URN);
    assert.match(
      message ?? "",
      /^DomainPolicy 'search-policy': accessPolicies is not valid JSON \(.+\): give a valid IAM policy document$/,
    );
  });
});
