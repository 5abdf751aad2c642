import { strict as assert } from "assert";
import { AWS_TEXT, TextRule, textProblem } from "../../config/aws-text";
import { evaluateStack } from "../../offline/evaluate-stack";
import { StackResource } from "../../offline/evaluate-stack";
import { settingsOf } from "../support/stacks";

/** Which input of which resource type each rule governs. */
const FIELDS: [type: string, input: string, rule: TextRule][] = [
  ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "name", AWS_TEXT.firehoseStreamName],
  ["aws:kinesis/stream:Stream", "name", AWS_TEXT.kinesisStreamName],
  ["aws:lambda/function:Function", "name", AWS_TEXT.lambdaFunctionName],
  ["aws:redshiftserverless/namespace:Namespace", "namespaceName", AWS_TEXT.redshiftServerlessName],
  ["aws:redshiftserverless/workgroup:Workgroup", "workgroupName", AWS_TEXT.redshiftServerlessName],
  ["aws:redshift/cluster:Cluster", "clusterIdentifier", AWS_TEXT.redshiftClusterIdentifier],
  ["aws:opensearch/domain:Domain", "domainName", AWS_TEXT.openSearchDomainName],
  ["aws:kms/alias:Alias", "name", AWS_TEXT.kmsAlias],
  ["aws:athena/workgroup:Workgroup", "name", AWS_TEXT.athenaWorkgroupName],
  ["aws:cloudwatch/dashboard:Dashboard", "dashboardName", AWS_TEXT.dashboardName],
  ["aws:ec2/securityGroup:SecurityGroup", "description", AWS_TEXT.securityGroupDescription],
  [
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "description",
    AWS_TEXT.securityGroupRuleDescription,
  ],
  [
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "description",
    AWS_TEXT.securityGroupRuleDescription,
  ],
  ["aws:iam/role:Role", "description", AWS_TEXT.iamDescription],
];

function textProblems(resources: StackResource[]): string[] {
  return FIELDS.flatMap(([type, input, rule]) =>
    resources
      .filter((r) => r.type === type && typeof r.inputs[input] === "string")
      .flatMap((r) => {
        const problem = textProblem(rule, r.inputs[input] as string);
        return problem === undefined ? [] : [`${r.name}.${input}: ${problem}`];
      }),
  );
}

describe("every name and description the stacks declare fits AWS's documented rules", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}`, async () => {
      const { resources } = await evaluateStack(settingsOf(stack));
      const checked = FIELDS.filter(([type, input]) =>
        resources.some((r) => r.type === type && typeof r.inputs[input] === "string"),
      );
      assert.ok(
        checked.length >= (stack === "dev" ? 5 : 10),
        `only ${checked.length} kinds of text were found to check`,
      );
      assert.deepEqual(textProblems(resources), []);
    });
  }
});
