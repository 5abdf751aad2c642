import * as assert from "assert";
import { StackResource } from "../../offline/evaluate-stack";
import { planOnlyAddresses } from "../../rehearse/rehearse";
import { ProviderSchema, camelOf, fieldsOf, pluralOf, snakeOf, terraformTypeOf } from "../../rehearse/schema";
import { translateStack, withReferences } from "../../rehearse/translate";
import { subnetCidrs } from "../../rehearse/vpc";

/** A provider schema with just what these tests translate, in the shape `terraform providers schema -json` has. */
const SCHEMA: ProviderSchema = {
  provider: { block: {} },
  resource_schemas: {
    aws_iam_role: {
      block: {
        attributes: {
          name: { type: "string", optional: true },
          arn: { type: "string", computed: true },
          assume_role_policy: { type: "string", required: true },
        },
      },
    },
    aws_iam_role_policy: {
      block: {
        attributes: {
          name: { type: "string", optional: true },
          role: { type: "string", required: true },
          policy: { type: "string", required: true },
        },
      },
    },
    aws_security_group: { block: { attributes: { description: { type: "string", optional: true } } } },
    aws_kinesis_firehose_delivery_stream: {
      block: {
        attributes: {
          name: { type: "string", required: true },
          destination: { type: "string", required: true },
        },
        block_types: {
          extended_s3_configuration: {
            nesting_mode: "list",
            max_items: 1,
            block: {
              attributes: {
                role_arn: { type: "string", required: true },
                buffering_size: { type: "number", optional: true },
              },
              block_types: {
                processing_configuration: {
                  nesting_mode: "list",
                  max_items: 1,
                  block: {
                    block_types: {
                      processors: {
                        nesting_mode: "list",
                        block: {
                          attributes: { type: { type: "string", required: true } },
                          block_types: {
                            parameters: {
                              nesting_mode: "list",
                              block: {
                                attributes: {
                                  parameter_name: { type: "string", required: true },
                                  parameter_value: { type: "string", required: true },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const URN = (type: string, name: string) => `urn:pulumi:dev::firehose-etl::${type}::${name}`;
function recorded(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
  deps: Record<string, string[]> = {},
): StackResource {
  return {
    type,
    name,
    urn: URN(type, name),
    protect: false,
    retainOnDelete: false,
    dependencies: [...new Set(Object.values(deps).flat())],
    propertyDependencies: deps,
    inputs,
    state: { ...inputs, ...state },
  };
}

describe("rehearsal: names from the provider's schema", () => {
  it("converts between Pulumi's and Terraform's names", () => {
    assert.strictEqual(camelOf("extended_s3_configuration"), "extendedS3Configuration");
    assert.strictEqual(camelOf("open_x_json_ser_de"), "openXJsonSerDe");
    assert.strictEqual(snakeOf("firehoseDeliveryStream"), "firehose_delivery_stream");
    assert.deepStrictEqual(["rule", "policy", "address", "key"].map(pluralOf), [
      "rules",
      "policies",
      "addresses",
      "keys",
    ]);
  });

  it("finds the resource type, with and without the module in its name", () => {
    assert.strictEqual(
      terraformTypeOf("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", SCHEMA),
      "aws_kinesis_firehose_delivery_stream",
    );
    assert.strictEqual(terraformTypeOf("aws:ec2/securityGroup:SecurityGroup", SCHEMA), "aws_security_group");
    assert.strictEqual(terraformTypeOf("aws:ec2/unknown:Unknown", SCHEMA), undefined);
  });

  it("knows max-1 blocks by their singular name and list blocks by their plural", () => {
    const stream = SCHEMA.resource_schemas.aws_kinesis_firehose_delivery_stream.block;
    const processing =
      stream.block_types!.extended_s3_configuration.block.block_types!.processing_configuration.block;
    assert.strictEqual(fieldsOf(stream).get("extendedS3Configuration")?.tfName, "extended_s3_configuration");
    assert.strictEqual(fieldsOf(stream).get("extendedS3Configurations"), undefined);
    assert.strictEqual(fieldsOf(processing).get("processors")?.tfName, "processors");
    assert.strictEqual(
      fieldsOf({ attributes: { name: { type: "string" } } }, { fooName: "name" }).get("fooName")?.tfName,
      "name",
    );
  });
});

describe("rehearsal: translating recorded resources", () => {
  const role = recorded(
    "aws:iam/role:Role",
    "events-role",
    { assumeRolePolicy: "{}" },
    { name: "events-role-1a2b3c4", arn: "arn:aws:iam::123456789012:role/events-role-1a2b3c4" },
  );

  it("turns values of recorded dependencies into references, in blocks and inside policy documents", () => {
    const policy = recorded(
      "aws:iam/rolePolicy:RolePolicy",
      "events-policy",
      {
        role: "events-role-1a2b3c4",
        policy: JSON.stringify({ Resource: "arn:aws:iam::123456789012:role/events-role-1a2b3c4" }),
      },
      {},
      { role: [role.urn], policy: [role.urn] },
    );
    const stream = recorded(
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
      "events-stream",
      {
        name: "s",
        destination: "extended_s3",
        extendedS3Configuration: {
          roleArn: "arn:aws:iam::123456789012:role/events-role-1a2b3c4",
          bufferingSize: 5,
          processingConfiguration: {
            processors: [
              { type: "Lambda", parameters: [{ parameterName: "A", parameterValue: "${not-a-reference}" }] },
            ],
          },
        },
      },
      {},
      { extendedS3Configuration: [role.urn] },
    );
    const { resources } = translateStack([role, policy, stream], new Map(), SCHEMA, "eu-west-1");
    assert.deepStrictEqual(resources[1].body, {
      role: "${aws_iam_role.events-role.name}",
      policy: '{"Resource":"${aws_iam_role.events-role.arn}"}',
      depends_on: ["aws_iam_role.events-role"],
    });
    assert.deepStrictEqual(resources[2].body.extended_s3_configuration, [
      {
        role_arn: "${aws_iam_role.events-role.arn}",
        buffering_size: 5,
        processing_configuration: [
          {
            processors: [
              {
                type: "Lambda",
                parameters: [{ parameter_name: "A", parameter_value: "$${not-a-reference}" }],
              },
            ],
          },
        ],
      },
    ]);
  });

  it("leaves values literal where Pulumi recorded no dependency", () => {
    const policy = recorded(
      "aws:iam/rolePolicy:RolePolicy",
      "p",
      { role: "events-role-1a2b3c4", policy: "{}" },
      {},
    );
    const { resources } = translateStack([role, policy], new Map(), SCHEMA, "eu-west-1");
    assert.strictEqual(resources[1].body.role, "events-role-1a2b3c4");
    assert.strictEqual(resources[1].body.depends_on, undefined);
  });

  it("refuses an input the provider's schema has no field for, naming it", () => {
    const bad = recorded("aws:iam/role:Role", "r", { assumeRolePolicy: "{}", notAField: 1 }, {});
    assert.throws(
      () => translateStack([bad], new Map(), SCHEMA, "eu-west-1"),
      /aws:iam\/role:Role r: no field of the provider's schema matches input notAField/,
    );
  });

  it("replaces long ids inside strings but short names only whole", () => {
    const refs = [
      { value: "sg-0123456789abcdef0", expr: "aws_security_group.a.id" },
      { value: "events", expr: "aws_glue_catalog_table.t.name" },
    ];
    assert.strictEqual(withReferences("sg-0123456789abcdef0", refs), "${aws_security_group.a.id}");
    assert.strictEqual(
      withReferences("x sg-0123456789abcdef0 events", refs),
      "x ${aws_security_group.a.id} events",
    );
    assert.strictEqual(withReferences("events", refs), "${aws_glue_catalog_table.t.name}");
  });
});

describe("rehearsal: plan-only resources", () => {
  it("plans only what moto lacks, and whatever needs it", () => {
    const source = recorded("x", "x", {}, {});
    const planOnly = planOnlyAddresses(
      [
        { type: "aws_redshiftserverless_workgroup", label: "wg", body: {}, source },
        {
          type: "aws_redshiftdata_statement",
          label: "st",
          body: { workgroup_name: "${aws_redshiftserverless_workgroup.wg.workgroup_name}" },
          source,
        },
        { type: "aws_opensearch_domain", label: "d", body: {}, source },
        { type: "aws_sfn_state_machine", label: "sm", body: {}, source },
        { type: "aws_sns_topic", label: "t", body: {}, source },
      ],
      true,
    );
    assert.deepStrictEqual(
      [...planOnly.keys()],
      [
        "aws_redshiftserverless_workgroup.wg",
        "aws_redshiftdata_statement.st",
        "aws_opensearch_domain.d",
        "aws_sfn_state_machine.sm",
      ],
    );
    assert.match(planOnly.get("aws_sfn_state_machine.sm")!, /ListStateMachineVersions/);
    assert.match(planOnly.get("aws_redshiftdata_statement.st")!, /needs x x, which is plan-only/);
    assert.match(planOnly.get("aws_opensearch_domain.d")!, /fast mode/);
  });
});

describe("rehearsal: the awsx VPC's equivalent", () => {
  it("gives each zone an aligned subnet per spec inside the VPC, largest first", () => {
    assert.deepStrictEqual(
      subnetCidrs(
        "10.40.0.0/16",
        [
          { type: "Public", cidrMask: 22 },
          { type: "Private", cidrMask: 20 },
        ],
        3,
      ),
      [
        ["10.40.48.0/22", "10.40.52.0/22", "10.40.56.0/22"],
        ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"],
      ],
    );
    assert.throws(() => subnetCidrs("10.40.0.0/24", [{ type: "Private", cidrMask: 20 }], 1), /do not fit/);
  });
});
