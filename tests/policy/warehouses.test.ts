// Redshift, OpenSearch and HTTP endpoint destinations, and the warehouses behind them.
import * as assert from "assert";
import { firehoseHttpEndpoint } from "../../policy/policies/firehose-http-endpoint";
import { firehoseRedshiftDestination } from "../../policy/policies/firehose-redshift-destination";
import { openSearchDomainAccess } from "../../policy/policies/opensearch-domain-access";
import { openSearchDomainPolicyAccess } from "../../policy/policies/opensearch-domain-policy-access";
import { redshiftIngressRestricted } from "../../policy/policies/redshift-ingress-restricted";
import { redshiftManagedCredentials } from "../../policy/policies/redshift-managed-credentials";
import * as fixtures from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

const STREAM = "FirehoseDeliveryStream 'warehouse': ";
const STAGING = "redshiftConfiguration.s3Configuration";

describe("firehose-redshift-destination", () => {
  const violationsOf = (props: Record<string, unknown>) =>
    messagesOf(evaluate(firehoseRedshiftDestination, resource(TYPES.stream, props, "warehouse")));

  it("passes a Redshift stream with Secrets Manager credentials and GZIP staging", async () => {
    assert.deepEqual(await violationsOf(fixtures.redshiftStream()), []);
  });

  it("rejects SNAPPY staging compression, which COPY cannot load", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: { s3Configuration: { compressionFormat: "Snappy" } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${STAGING}.compressionFormat is "Snappy"; AWS rejects SNAPPY, ZIP and HADOOP_SNAPPY for Redshift ` +
        "staging (COPY cannot load them): use GZIP or UNCOMPRESSED",
    ]);
  });

  it("rejects a plaintext password, without echoing it", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: {
        username: "firehose",
        password: "s3cr3t-Passw0rd",
        secretsManagerConfiguration: undefined,
      },
    });
    const messages = await violationsOf(stream);
    assert.deepEqual(messages, [
      `${STREAM}redshiftConfiguration.password is set, so the Redshift password sits in the stack's config and ` +
        "state: remove it and set secretsManagerConfiguration { enabled: true, secretArn: <secret with username " +
        "and password> }",
      `${STREAM}redshiftConfiguration.secretsManagerConfiguration is not enabled with a secretArn: set { enabled: ` +
        "true, secretArn: <secret with username and password> } so Firehose reads the credentials from Secrets " +
        "Manager",
    ]);
    assert.ok(messages.every((m) => !m.includes("s3cr3t")));
  });

  it("rejects an errorOutputPrefix on the staging configuration", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: {
        s3Configuration: { errorOutputPrefix: "errors/!{firehose:error-output-type}/" },
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${STAGING}.errorOutputPrefix is set; AWS requires it absent for Redshift's staging ` +
        "configuration: remove it (failed COPYs are reported in the stream's manifests and logs)",
    ]);
  });

  it("rejects expressions in the staging prefix", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: { s3Configuration: { prefix: "staging/!{timestamp:yyyy/MM/dd}/" } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${STAGING}.prefix "staging/!{timestamp:yyyy/MM/dd}/" has expressions, which Redshift's staging ` +
        "configuration does not take: use a plain prefix such as staging/",
    ]);
  });

  it("rejects a JDBC URL that is not Redshift's", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: { clusterJdbcurl: "jdbc:postgresql://warehouse:5439/analytics" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}redshiftConfiguration.clusterJdbcurl is "jdbc:postgresql://warehouse:5439/analytics": set it to ` +
        "jdbc:redshift://<endpoint>:<port>/<database>",
    ]);
  });
});

describe("redshift-managed-credentials", () => {
  const violationsOf = (type: string, props: Record<string, unknown>, config = {}) =>
    messagesOf(evaluate(redshiftManagedCredentials, resource(type, props, "warehouse"), config));

  it("passes managed passwords", async () => {
    assert.deepEqual(await violationsOf(TYPES.cluster, fixtures.redshiftCluster()), []);
    assert.deepEqual(await violationsOf(TYPES.namespace, fixtures.redshiftNamespace()), []);
  });

  it("rejects a cluster masterPassword, even one that is unknown at preview", async () => {
    const cluster = patched(fixtures.redshiftCluster(), {
      manageMasterPassword: undefined,
      masterPassword: UNKNOWN,
    });
    assert.deepEqual(await violationsOf(TYPES.cluster, cluster), [
      "Cluster 'warehouse': masterPassword is set, so the password sits in the stack's config and state: remove " +
        "it and set manageMasterPassword: true (Redshift keeps the password in Secrets Manager)",
    ]);
  });

  it("rejects a namespace adminUserPassword", async () => {
    const namespace = patched(fixtures.redshiftNamespace(), {
      manageAdminPassword: undefined,
      adminUserPassword: "pw",
    });
    assert.deepEqual(await violationsOf(TYPES.namespace, namespace), [
      "Namespace 'warehouse': adminUserPassword is set, so the password sits in the stack's config and state: " +
        "remove it and set manageAdminPassword: true (Redshift keeps the password in Secrets Manager)",
    ]);
  });

  it("rejects write-only passwords when config forbids them", async () => {
    const cluster = patched(fixtures.redshiftCluster(), {
      manageMasterPassword: undefined,
      masterPasswordWo: "pw",
    });
    assert.deepEqual(await violationsOf(TYPES.cluster, cluster), []);
    const config = { "redshift-managed-credentials": { allowWriteOnlyPasswords: false } };
    assert.deepEqual(await violationsOf(TYPES.cluster, cluster, config), [
      "Cluster 'warehouse': masterPasswordWo is set, which the organisation does not allow: remove it and set " +
        "manageMasterPassword: true",
    ]);
  });
});

describe("redshift-ingress-restricted", () => {
  const violationsOf = async (resources: ReturnType<typeof resource>[], config = {}) =>
    (await evaluate(redshiftIngressRestricted, resources, config))
      .filter((v) => v.level === "mandatory")
      .map((v) => [v.urn, v.message]);

  it("passes a group that admits only Firehose's CIDR on 5439 (and the world on 443)", async () => {
    const group = resource(TYPES.securityGroup, fixtures.warehouseSecurityGroup(), "warehouse-sg");
    assert.deepEqual(await violationsOf([group]), []);
  });

  it("rejects 0.0.0.0/0 on 5439 in an inline ingress block", async () => {
    const group = resource(
      TYPES.securityGroup,
      patched(fixtures.warehouseSecurityGroup(), {
        ingress: [{ protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: ["0.0.0.0/0"] }],
      }),
      "warehouse-sg",
    );
    assert.deepEqual(await violationsOf([group]), [
      [
        group.urn,
        "SecurityGroup 'warehouse-sg' ingress[0] admits 0.0.0.0/0 on Redshift port 5439: admit only Firehose's " +
          "CIDR block for the region (Firehose Developer Guide, access to Redshift) and your own clients' ranges",
      ],
    ]);
  });

  it("rejects ::/0 through a SecurityGroupIngressRule", async () => {
    const rule = resource(
      TYPES.ingressRule,
      { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv6: "::/0" },
      "redshift-v6",
    );
    assert.deepEqual(await violationsOf([rule]), [
      [
        rule.urn,
        "SecurityGroupIngressRule 'redshift-v6' admits ::/0 on Redshift port 5439: admit only Firehose's CIDR " +
          "block for the region (Firehose Developer Guide, access to Redshift) and your own clients' ranges",
      ],
    ]);
  });

  it("rejects all traffic (-1) from anywhere through a SecurityGroupRule, on the workgroup's own port", async () => {
    const workgroup = resource(TYPES.workgroup, { workgroupName: "w", namespaceName: "n", port: 5440 }, "w");
    const rule = resource(
      TYPES.securityGroupRule,
      {
        type: "ingress",
        securityGroupId: "sg-1",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      },
      "open",
    );
    const [[urn, message]] = await violationsOf([workgroup, rule]);
    assert.equal(urn, rule.urn);
    assert.match(
      message ?? "",
      /^SecurityGroupRule 'open' admits 0\.0\.0\.0\/0 on Redshift port 5439, 5440: /,
    );
  });

  it("rejects CIDRs outside allowedCidrs when config lists Firehose's", async () => {
    const rule = resource(
      TYPES.ingressRule,
      { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 5400, toPort: 5500, cidrIpv4: "10.0.0.0/8" },
      "office",
    );
    const config = { "redshift-ingress-restricted": { allowedCidrs: ["52.19.239.192/27"] } };
    assert.deepEqual(await violationsOf([rule], config), [
      [
        rule.urn,
        "SecurityGroupIngressRule 'office' admits 10.0.0.0/8 on Redshift port 5439, which is not in allowedCidrs " +
          "(52.19.239.192/27): admit only those",
      ],
    ]);
  });

  it("ignores egress rules and other ports", async () => {
    const egress = resource(
      TYPES.securityGroupRule,
      {
        type: "egress",
        securityGroupId: "sg-1",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      },
      "egress",
    );
    const https = resource(
      TYPES.ingressRule,
      { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      "https",
    );
    assert.deepEqual(await violationsOf([egress, https]), []);
  });
});

describe("opensearch-domain-access", () => {
  const violationsOf = (props: Record<string, unknown>, config = {}) =>
    messagesOf(evaluate(openSearchDomainAccess, resource(TYPES.domain, props, "search"), config));

  it("passes a VPC domain and a public domain whose policy names the Firehose role", async () => {
    assert.deepEqual(await violationsOf(fixtures.openSearchDomain()), []);
    assert.deepEqual(await violationsOf(fixtures.publicOpenSearchDomain()), []);
  });

  it("rejects a public domain whose policy allows Principal {AWS: '*'} without a condition", async () => {
    const open = JSON.stringify({
      Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }],
    });
    assert.deepEqual(
      await violationsOf(patched(fixtures.publicOpenSearchDomain(), { accessPolicies: open })),
      [
        'Domain \'search\': accessPolicies statement "Anyone" allows Principal "*" without a Condition on a domain ' +
          "outside a VPC, so anyone on the internet can reach it: put the domain in a VPC (vpcOptions) or name the " +
          "principals (the Firehose role) in the policy",
      ],
    );
  });

  it("accepts Principal '*' narrowed by a source-IP condition", async () => {
    const narrowed = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "es:*",
          Resource: "*",
          Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } },
        },
      ],
    });
    assert.deepEqual(
      await violationsOf(patched(fixtures.publicOpenSearchDomain(), { accessPolicies: narrowed })),
      [],
    );
  });

  it("rejects a domain that does not enforce HTTPS", async () => {
    const domain = patched(fixtures.openSearchDomain(), { domainEndpointOptions: { enforceHttps: false } });
    assert.deepEqual(await violationsOf(domain), [
      "Domain 'search': domainEndpointOptions.enforceHttps is false: set it to true so clients cannot talk plain HTTP",
    ]);
  });

  it("rejects a TLS 1.0 security policy", async () => {
    const domain = patched(fixtures.openSearchDomain(), {
      domainEndpointOptions: { tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" },
    });
    assert.deepEqual(await violationsOf(domain), [
      "Domain 'search': domainEndpointOptions.tlsSecurityPolicy is \"Policy-Min-TLS-1-0-2019-07\": set it to one " +
        "of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10",
    ]);
  });

  it("requires a VPC when config says so", async () => {
    const config = { "opensearch-domain-access": { requireVpc: true } };
    assert.deepEqual(await violationsOf(fixtures.publicOpenSearchDomain(), config), [
      "Domain 'search': vpcOptions.subnetIds is not set, so the domain has a public endpoint: put it in a VPC",
    ]);
  });
});

describe("opensearch-domain-policy-access", () => {
  const DOMAIN_POLICY = "aws:opensearch/domainPolicy:DomainPolicy";
  const OPEN = JSON.stringify({
    Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "es:*", Resource: "*" }],
  });
  const publicDomain = () => patched(fixtures.publicOpenSearchDomain(), { accessPolicies: undefined });
  /** The domain and a DomainPolicy joined to it as the program joins them: domainName is the domain's output. */
  const joined = (domain: Record<string, unknown>, accessPolicies: string, domainName?: string) => [
    resource(TYPES.domain, domain, "search"),
    resource(DOMAIN_POLICY, { domainName, accessPolicies }, "search-policy", {
      propertyDependencies: { domainName: [resource(TYPES.domain, domain, "search").urn] },
    }),
  ];
  const violationsOf = (resources: ReturnType<typeof resource>[], config = {}) =>
    messagesOf(evaluate(openSearchDomainPolicyAccess, resources, config));

  it("passes an open policy on a VPC domain, and a policy naming the Firehose role on a public one", async () => {
    assert.deepEqual(await violationsOf(joined(fixtures.openSearchDomain(), OPEN)), []);
    const named = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:role/firehose" },
          Action: "es:ESHttp*",
          Resource: "*",
        },
      ],
    });
    assert.deepEqual(await violationsOf(joined(publicDomain(), named)), []);
  });

  it("rejects an open DomainPolicy joined to a public domain through its domainName output", async () => {
    assert.deepEqual(await violationsOf(joined(publicDomain(), OPEN)), [
      'DomainPolicy \'search-policy\': accessPolicies statement "Anyone" allows Principal "*" without a Condition ' +
        "and its domain Domain 'search' is outside a VPC, so anyone on the internet can reach the domain: put the " +
        "domain in a VPC (vpcOptions) or name the principals (the Firehose role) in the policy",
    ]);
  });

  it("joins by name too, and treats a domain outside the stack as not known to be in a VPC", async () => {
    const byName = [
      resource(TYPES.domain, publicDomain(), "search"),
      resource(DOMAIN_POLICY, { domainName: "search", accessPolicies: OPEN }, "search-policy"),
    ];
    assert.equal((await violationsOf(byName)).length, 1);
    const elsewhere = [resource(DOMAIN_POLICY, { domainName: "logs", accessPolicies: OPEN }, "logs-policy")];
    assert.deepEqual(await violationsOf(elsewhere), [
      'DomainPolicy \'logs-policy\': accessPolicies statement "Anyone" allows Principal "*" without a Condition ' +
        "and its domain ('logs') is not in this stack, so not known to be in a VPC, so anyone on the internet can " +
        "reach the domain: put the domain in a VPC (vpcOptions) or name the principals (the Firehose role) in the " +
        "policy",
    ]);
    const trusted = { "opensearch-domain-policy-access": { domainsOutsideStackInVpc: true } };
    assert.deepEqual(await violationsOf(elsewhere, trusted), []);
  });
});

describe("firehose-http-endpoint", () => {
  const violationsOf = (props: Record<string, unknown>, config = {}) =>
    messagesOf(evaluate(firehoseHttpEndpoint, resource(TYPES.stream, props, "http"), config));

  it("passes an https endpoint", async () => {
    assert.deepEqual(await violationsOf(fixtures.httpEndpointStream()), []);
  });

  it("rejects an http:// URL", async () => {
    const stream = patched(fixtures.httpEndpointStream(), {
      httpEndpointConfiguration: { url: "http://ingest.example.com" },
    });
    assert.deepEqual(await violationsOf(stream), [
      "FirehoseDeliveryStream 'http': httpEndpointConfiguration.url is \"http://ingest.example.com\": Firehose " +
        "sends records (and the access key) to it, so it must be an https:// URL",
    ]);
  });

  it("rejects a plaintext access key when config requires Secrets Manager", async () => {
    const stream = patched(fixtures.httpEndpointStream(), {
      httpEndpointConfiguration: { accessKey: "key", secretsManagerConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), []);
    const config = { "firehose-http-endpoint": { requireSecretsManager: true } };
    assert.deepEqual(await violationsOf(stream, config), [
      "FirehoseDeliveryStream 'http': httpEndpointConfiguration.accessKey is set, so the key sits in the stack's " +
        "config and state: remove it and use secretsManagerConfiguration { enabled: true, secretArn }",
      "FirehoseDeliveryStream 'http': httpEndpointConfiguration.secretsManagerConfiguration.enabled is not true: " +
        "read the access key from a secret",
    ]);
  });
});
