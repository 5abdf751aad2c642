// The character sets and lengths AWS documents for the names and descriptions this program builds. Providers
// check few of them, so a bad value passes `pulumi preview` and fails `pulumi up`: config validation checks the
// names it derives (config/naming.ts) and a test checks every name and description the stacks declare.

export interface TextRule {
  /** What the text is, as a message names it. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Whole-value pattern of the allowed characters (and shape). */
  readonly pattern: RegExp;
  /** The allowed characters, as a message says them. */
  readonly allowed: string;
  /** The API reference that states the rule. */
  readonly source: string;
}

export const AWS_TEXT = {
  firehoseStreamName: {
    what: "Firehose delivery stream name",
    min: 1,
    max: 64,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits, '_', '.', '-'",
    source: "Firehose API Reference, CreateDeliveryStream DeliveryStreamName",
  },
  kinesisStreamName: {
    what: "Kinesis data stream name",
    min: 1,
    max: 128,
    pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits, '_', '.', '-'",
    source: "Kinesis Data Streams API Reference, CreateStream StreamName",
  },
  lambdaFunctionName: {
    what: "Lambda function name",
    min: 1,
    max: 64,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: "letters, digits, '_', '-'",
    source: "Lambda API Reference, CreateFunction FunctionName (a name, not an ARN: 64 characters)",
  },
  redshiftServerlessName: {
    what: "Redshift Serverless namespace or workgroup name",
    min: 3,
    max: 64,
    pattern: /^[a-z0-9-]+$/,
    allowed: "lower-case letters, digits, '-'",
    source:
      "Redshift Serverless API Reference, CreateNamespace namespaceName and CreateWorkgroup workgroupName",
  },
  redshiftClusterIdentifier: {
    what: "Redshift cluster identifier",
    min: 1,
    max: 63,
    pattern: /^[a-z](?!.*--)[a-z0-9-]*(?<!-)$/,
    allowed: "lower-case letters, digits, '-'; starting with a letter, no '--', not ending in '-'",
    source: "Redshift API Reference, CreateCluster ClusterIdentifier",
  },
  openSearchDomainName: {
    what: "OpenSearch domain name",
    min: 3,
    max: 28,
    pattern: /^[a-z][a-z0-9-]+$/,
    allowed: "lower-case letters, digits, '-'; starting with a letter",
    source: "OpenSearch Service API Reference, CreateDomain DomainName",
  },
  kmsAlias: {
    what: "KMS alias name",
    min: 7,
    max: 256,
    pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/,
    allowed: "'alias/' then letters, digits, '/', '_', '-' (not 'alias/aws/')",
    source: "KMS API Reference, CreateAlias AliasName",
  },
  athenaWorkgroupName: {
    what: "Athena workgroup name",
    min: 1,
    max: 128,
    pattern: /^[a-zA-Z0-9._-]+$/,
    allowed: "letters, digits, '.', '_', '-'",
    source: "Athena API Reference, CreateWorkGroup Name",
  },
  dashboardName: {
    what: "CloudWatch dashboard name",
    min: 1,
    max: 255,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: "letters, digits, '_', '-'",
    source: "CloudWatch API Reference, PutDashboard DashboardName",
  },
  securityGroupDescription: {
    what: "security group description",
    min: 0,
    max: 255,
    pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/,
    allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    source: "EC2 API Reference, CreateSecurityGroup GroupDescription",
  },
  /** A rule that references a security group; the strictest of the rule sets, so the program's rules keep to it. */
  securityGroupRuleDescription: {
    what: "security group rule description",
    min: 0,
    max: 255,
    pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/,
    allowed: "letters, digits, spaces and ._-:/()#,@[]+=;{}!$*",
    source: "EC2 API Reference, UserIdGroupPair Description",
  },
  /** A rule for an address range: `&` is allowed here. */
  ipRangeRuleDescription: {
    what: "security group rule description",
    min: 0,
    max: 255,
    pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/,
    allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    source: "EC2 API Reference, IpRange / Ipv6Range Description",
  },
  iamDescription: {
    what: "IAM role description",
    min: 0,
    max: 1000,
    // eslint-disable-next-line no-control-regex -- tab, LF and CR are exactly what IAM allows besides printables
    pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
    allowed: "tab, newline and Latin-1 printable characters",
    source: "IAM API Reference, CreateRole Description",
  },
} as const satisfies Record<string, TextRule>;

/** Why `value` breaks `rule`, or undefined when it fits. */
export function textProblem(rule: TextRule, value: string): string | undefined {
  if (value.length < rule.min || value.length > rule.max) {
    return `${rule.what} "${value}" has ${value.length} characters; AWS allows ${rule.min}-${rule.max} (${rule.source})`;
  }
  if (!rule.pattern.test(value)) {
    return `${rule.what} "${value}" may contain only ${rule.allowed} (${rule.source})`;
  }
  return undefined;
}
