import * as assert from "assert";
import * as os from "os";
import * as path from "path";
import { ModelRegistry, findBotocoreData } from "../../rehearse/botocore";
import { checkInput, fromQuery } from "../../rehearse/request-check";

describe("rehearsal: the validation layer's checks against botocore's models", function () {
  let registry: ModelRegistry;

  before(function () {
    const data = findBotocoreData();
    if (!data) {
      console.log("      skipped: botocore's data is not found (python3 -c 'import botocore' fails)");
      this.skip();
    }
    registry = new ModelRegistry(data!, path.join(os.tmpdir(), "firehose-etl-rehearse-test-cache"));
  });

  const stream = (s3: Record<string, unknown>) => ({
    DeliveryStreamName: "firehose-etl-dev-events",
    ExtendedS3DestinationConfiguration: {
      RoleARN: "arn:aws:iam::123456789012:role/r",
      BucketARN: "arn:aws:s3:::b",
      ...s3,
    },
  });

  it("accepts a valid Firehose request and refuses a 200 MiB buffer and an unknown compression format as AWS words it", () => {
    const firehose = registry.find("firehose", "CreateDeliveryStream", "Firehose_20150804")!;
    assert.deepStrictEqual(
      checkInput(firehose, "CreateDeliveryStream", stream({ BufferingHints: { SizeInMBs: 5 } })),
      [],
    );
    assert.deepStrictEqual(
      checkInput(
        firehose,
        "CreateDeliveryStream",
        stream({ BufferingHints: { SizeInMBs: 200 }, CompressionFormat: "LZ4" }),
      ),
      [
        "Value '200' at 'ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128",
        "Value 'LZ4' at 'ExtendedS3DestinationConfiguration.CompressionFormat' failed to satisfy constraint: Member must satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]",
      ],
    );
  });

  it("reports a missing required member and a name that breaks the model's pattern", () => {
    const firehose = registry.find("firehose", "CreateDeliveryStream")!;
    const problems = checkInput(firehose, "CreateDeliveryStream", { DeliveryStreamName: "has space" });
    assert.deepStrictEqual(problems, [
      "Value 'has space' at 'DeliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    ]);
    assert.deepStrictEqual(checkInput(firehose, "CreateDeliveryStream", {}), [
      "Value 'null' at 'DeliveryStreamName' failed to satisfy constraint: Member must not be null",
    ]);
  });

  it("reads ec2 query parameters and refuses an apostrophe in a rule description (EC2's documented character set)", () => {
    const ec2 = registry.find("ec2", "AuthorizeSecurityGroupIngress")!;
    const params = new URLSearchParams({
      Action: "AuthorizeSecurityGroupIngress",
      GroupId: "sg-1",
      "IpPermissions.1.IpProtocol": "tcp",
      "IpPermissions.1.FromPort": "443",
      "IpPermissions.1.ToPort": "443",
      "IpPermissions.1.Groups.1.GroupId": "sg-2",
      "IpPermissions.1.Groups.1.Description": "HTTPS from Firehose's delivery ENIs",
    });
    const input = fromQuery(ec2, "AuthorizeSecurityGroupIngress", params);
    assert.deepStrictEqual(input, {
      GroupId: "sg-1",
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: "443",
          ToPort: "443",
          UserIdGroupPairs: [{ GroupId: "sg-2", Description: "HTTPS from Firehose's delivery ENIs" }],
        },
      ],
    });
    assert.deepStrictEqual(checkInput(ec2, "AuthorizeSecurityGroupIngress", input), [
      "Value 'HTTPS from Firehose's delivery ENIs' at 'IpPermissions.1.UserIdGroupPairs.1.Description' failed to satisfy constraint: Member must contain only letters, digits, spaces and ._-:/()#,@[]+=;{}!$*",
    ]);
  });

  it("reads query-protocol lists (`.member.N`) and checks their items", () => {
    const iam = registry.find("iam", "CreateRole")!;
    const input = fromQuery(
      iam,
      "CreateRole",
      new URLSearchParams({
        Action: "CreateRole",
        RoleName: "r",
        AssumeRolePolicyDocument: "{}",
        "Tags.member.1.Key": "",
        "Tags.member.1.Value": "v",
      }),
    );
    assert.deepStrictEqual(input, {
      RoleName: "r",
      AssumeRolePolicyDocument: "{}",
      Tags: [{ Key: "", Value: "v" }],
    });
    assert.deepStrictEqual(checkInput(iam, "CreateRole", input), [
      "Value '' at 'Tags.1.Key' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value '' at 'Tags.1.Key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    ]);
  });
});
