// Configurations that fail at `pulumi up` in real deployments (the AWS error cases of firehose-rules.md), each
// run through the whole pack: the pack must report them as mandatory violations at preview.
import * as assert from "assert";
import { evaluatePolicies, PolicyResource } from "../../policy/evaluate";
import * as fixtures from "./fixtures";
import { patched, resource, TYPES } from "./helpers";

interface Case {
  readonly title: string;
  readonly resources: () => PolicyResource[];
  readonly policy: string;
  /** A fragment of the message that names the field and the value. */
  readonly message: RegExp;
}

const stream = (props: Record<string, unknown>) => [resource(TYPES.stream, props, "events")];

const CASES: Case[] = [
  {
    title: "dynamic partitioning with a 32 MiB buffer",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), { extendedS3Configuration: { bufferingSize: 32 } }),
      ),
    policy: "firehose-buffer-bounds",
    message:
      /extendedS3Configuration\.bufferingSize must be at least 64 MiB when dynamic partitioning is enabled, got 32/,
  },
  {
    title: "dynamic partitioning with the buffer left at the provider's default",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), {
          extendedS3Configuration: { bufferingSize: undefined },
        }),
      ),
    policy: "firehose-buffer-bounds",
    message: /when dynamic partitioning is enabled, got 5 MiB \(unset: the provider's default\)/,
  },
  {
    title: "a prefix with expressions and no errorOutputPrefix",
    resources: () =>
      stream(
        patched(fixtures.directPutS3Stream(), { extendedS3Configuration: { errorOutputPrefix: undefined } }),
      ),
    policy: "firehose-error-prefix",
    message: /ErrorOutputPrefix cannot be null or empty when Prefix contains expressions/,
  },
  {
    title: "an errorOutputPrefix with a timestamp but without error-output-type",
    resources: () =>
      stream(
        patched(fixtures.directPutS3Stream(), {
          extendedS3Configuration: { errorOutputPrefix: "errors/!{timestamp:yyyy}/" },
        }),
      ),
    policy: "firehose-error-prefix",
    message:
      /errorOutputPrefix "errors\/!\{timestamp:yyyy\}\/" has expressions but not !\{firehose:error-output-type\}/,
  },
  {
    title: "a partitionKeyFromQuery key the jq query does not produce",
    resources: () => {
      const props = fixtures.partitionedParquetStream();
      props.extendedS3Configuration.processingConfiguration.processors[0].parameters[0].parameterValue =
        "{cc: .country}";
      return stream(props);
    },
    policy: "firehose-prefix-expressions",
    message: /!\{partitionKeyFromQuery:country\} but MetadataExtractionQuery '\{cc: \.country\}'/,
  },
  {
    title: "partition keys in the prefix without dynamic partitioning",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), {
          extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: false } },
        }),
      ),
    policy: "firehose-prefix-expressions",
    message: /Dynamic Partitioning Namespaces can only be part of a prefix expression/,
  },
  {
    title: "Parquet conversion with GZIP stream compression",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), {
          extendedS3Configuration: { compressionFormat: "GZIP" },
        }),
      ),
    policy: "firehose-format-conversion",
    message: /compressionFormat is "GZIP" with format conversion enabled; AWS requires UNCOMPRESSED/,
  },
  {
    title: "format conversion with a 16 MiB buffer",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), {
          extendedS3Configuration: {
            bufferingSize: 16,
            dynamicPartitioningConfiguration: undefined,
            prefix: "data/",
          },
        }),
      ),
    policy: "firehose-buffer-bounds",
    message: /at least 64 MiB when data format conversion is enabled, got 16/,
  },
  {
    title: "Redshift staging compressed with SNAPPY",
    resources: () =>
      stream(
        patched(fixtures.redshiftStream(), {
          redshiftConfiguration: { s3Configuration: { compressionFormat: "Snappy" } },
        }),
      ),
    policy: "firehose-redshift-destination",
    message: /s3Configuration\.compressionFormat is "Snappy"; AWS rejects SNAPPY, ZIP and HADOOP_SNAPPY/,
  },
  {
    title: "Redshift staging with an errorOutputPrefix",
    resources: () =>
      stream(
        patched(fixtures.redshiftStream(), {
          redshiftConfiguration: { s3Configuration: { errorOutputPrefix: "errors/" } },
        }),
      ),
    policy: "firehose-redshift-destination",
    message: /errorOutputPrefix is set; AWS requires it absent for Redshift's staging configuration/,
  },
  {
    title: "0.0.0.0/0 on port 5439",
    resources: () => [
      resource(
        TYPES.ingressRule,
        { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv4: "0.0.0.0/0" },
        "redshift-from-anywhere",
      ),
    ],
    policy: "redshift-ingress-restricted",
    message: /'redshift-from-anywhere' admits 0\.0\.0\.0\/0 on Redshift port 5439/,
  },
  {
    title: "an HTTP endpoint URL with http://",
    resources: () =>
      stream(
        patched(fixtures.httpEndpointStream(), {
          httpEndpointConfiguration: { url: "http://collector.example.com" },
        }),
      ),
    policy: "firehose-http-endpoint",
    message:
      /httpEndpointConfiguration\.url is "http:\/\/collector\.example\.com".*must be an https:\/\/ URL/,
  },
  {
    title: "an HTTP endpoint buffer of 100 MiB (the Terraform provider allows it, AWS does not)",
    resources: () =>
      stream(patched(fixtures.httpEndpointStream(), { httpEndpointConfiguration: { bufferingSize: 100 } })),
    policy: "firehose-buffer-bounds",
    message: /httpEndpointConfiguration\.bufferingSize is 100 MiB; AWS accepts 1-64 MiB/,
  },
  {
    title: "destination written in camelCase",
    resources: () => stream(patched(fixtures.directPutS3Stream(), { destination: "extendedS3" })),
    policy: "firehose-destination-config",
    message: /destination is "extendedS3", which the provider rejects: use "extended_s3"/,
  },
  {
    title: "server-side encryption on a stream with a Kinesis source",
    resources: () =>
      stream(
        patched(fixtures.partitionedParquetStream(), {
          serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" },
        }),
      ),
    policy: "firehose-encryption",
    message: /serverSideEncryption\.enabled is true on a stream that reads from a Kinesis data stream/,
  },
  {
    title: "a Direct PUT stream left unencrypted",
    resources: () =>
      stream(patched(fixtures.directPutS3Stream(), { serverSideEncryption: { enabled: false } })),
    policy: "firehose-encryption",
    message: /serverSideEncryption\.enabled is false on a Direct PUT stream/,
  },
];

describe("realistic failures, caught by the whole pack", () => {
  for (const { title, resources, policy, message } of CASES) {
    it(title, async () => {
      const mandatory = (await evaluatePolicies(resources())).filter((v) => v.level === "mandatory");
      const matching = mandatory.filter((v) => v.policy === policy && message.test(v.message));
      assert.equal(
        matching.length,
        1,
        `expected one ${policy} violation matching ${message}, got:\n` +
          mandatory.map((v) => `${v.policy}: ${v.message}`).join("\n"),
      );
    });
  }
});
