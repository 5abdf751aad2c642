// Happy-path inputs, one factory per resource shape: each passes every policy of the pack. Tests change one
// field of a fresh copy and assert the violation that change causes.
import { KEY_ARN, patched } from "./helpers";

const ACCOUNT = "123456789012";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/firehose`;
const BUCKET_ARN = "arn:aws:s3:::lake-bucket";
const LAMBDA_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:transform:$LATEST`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:redshift-firehose-AbCdEf`;

const sse = { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_ARN };

function failedDataS3(name: string) {
  return {
    bucketArn: BUCKET_ARN,
    roleArn: ROLE_ARN,
    kmsKeyArn: KEY_ARN,
    prefix: `${name}-failed/`,
    errorOutputPrefix: `errors/${name}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
  };
}

/** Direct PUT to S3 as JSON Lines, through a transform Lambda. */
export function directPutS3Stream() {
  return {
    destination: "extended_s3",
    serverSideEncryption: sse,
    extendedS3Configuration: {
      bucketArn: BUCKET_ARN,
      roleArn: ROLE_ARN,
      kmsKeyArn: KEY_ARN,
      prefix: "data/events/!{timestamp:yyyy/MM/dd/HH}/",
      errorOutputPrefix: "errors/events/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      bufferingSize: 16,
      bufferingInterval: 120,
      compressionFormat: "GZIP",
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: "Lambda",
            parameters: [
              { parameterName: "LambdaArn", parameterValue: LAMBDA_ARN },
              { parameterName: "BufferSizeInMBs", parameterValue: "2" },
              { parameterName: "BufferIntervalInSeconds", parameterValue: "120" },
            ],
          },
        ],
      },
    },
  };
}

/** From a Kinesis data stream to S3, partitioned by country with inline jq, converted to Parquet. */
export function partitionedParquetStream() {
  return {
    destination: "extended_s3",
    kinesisSourceConfiguration: {
      kinesisStreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/events`,
      roleArn: ROLE_ARN,
    },
    extendedS3Configuration: {
      bucketArn: BUCKET_ARN,
      roleArn: ROLE_ARN,
      kmsKeyArn: KEY_ARN,
      prefix: "data/events/country=!{partitionKeyFromQuery:country}/dt=!{timestamp:yyyy-MM-dd}/",
      errorOutputPrefix: "errors/events/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
      bufferingSize: 128,
      bufferingInterval: 300,
      compressionFormat: "UNCOMPRESSED",
      dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: "MetadataExtraction",
            parameters: [
              { parameterName: "MetadataExtractionQuery", parameterValue: "{country: .country}" },
              { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
            ],
          },
        ],
      },
      dataFormatConversionConfiguration: {
        inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
        outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
        schemaConfiguration: { databaseName: "lake", tableName: "events", roleArn: ROLE_ARN },
      },
    },
  };
}

/** Direct PUT to Redshift Serverless, credentials from Secrets Manager, staging through S3. */
export function redshiftStream() {
  return {
    destination: "redshift",
    serverSideEncryption: sse,
    redshiftConfiguration: {
      clusterJdbcurl:
        "jdbc:redshift://wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439/analytics",
      dataTableName: "events",
      roleArn: ROLE_ARN,
      retryDuration: 3600,
      secretsManagerConfiguration: { enabled: true, secretArn: SECRET_ARN, roleArn: ROLE_ARN },
      s3Configuration: {
        bucketArn: BUCKET_ARN,
        roleArn: ROLE_ARN,
        kmsKeyArn: KEY_ARN,
        prefix: "staging/warehouse/",
        compressionFormat: "GZIP",
        bufferingSize: 64,
        bufferingInterval: 300,
      },
    },
  };
}

/** Direct PUT to an OpenSearch domain in a VPC, failed documents backed up to S3. */
export function openSearchStream() {
  return {
    destination: "opensearch",
    serverSideEncryption: sse,
    opensearchConfiguration: {
      domainArn: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/search`,
      indexName: "events",
      indexRotationPeriod: "OneDay",
      roleArn: ROLE_ARN,
      bufferingSize: 5,
      bufferingInterval: 60,
      retryDuration: 300,
      s3BackupMode: "FailedDocumentsOnly",
      s3Configuration: failedDataS3("search"),
      vpcConfig: { roleArn: ROLE_ARN, subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] },
    },
  };
}

/** Direct PUT to an HTTPS endpoint, failed data backed up to S3. */
export function httpEndpointStream() {
  return {
    destination: "http_endpoint",
    serverSideEncryption: sse,
    httpEndpointConfiguration: {
      url: "https://ingest.example.com/firehose",
      name: "example",
      roleArn: ROLE_ARN,
      bufferingSize: 4,
      bufferingInterval: 60,
      retryDuration: 300,
      s3BackupMode: "FailedDataOnly",
      secretsManagerConfiguration: { enabled: true, secretArn: SECRET_ARN, roleArn: ROLE_ARN },
      s3Configuration: failedDataS3("http"),
    },
  };
}

/** Direct PUT to an Iceberg table in the Glue catalog, upserting by event_id, failures backed up to the lake. */
export function icebergStream() {
  return {
    destination: "iceberg",
    serverSideEncryption: sse,
    icebergConfiguration: {
      catalogArn: `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      roleArn: ROLE_ARN,
      destinationTableConfigurations: [
        { databaseName: "lake", tableName: "events", uniqueKeys: ["event_id"] },
      ],
      appendOnly: false,
      bufferingSize: 64,
      bufferingInterval: 300,
      retryDuration: 300,
      s3BackupMode: "FailedDataOnly",
      s3Configuration: failedDataS3("iceberg"),
    },
  };
}

export function kinesisStream() {
  return { name: "events", shardCount: 2, encryptionType: "KMS", kmsKeyId: KEY_ARN };
}

export function openSearchDomain() {
  return {
    domainName: "search",
    engineVersion: "OpenSearch_2.19",
    encryptAtRest: { enabled: true, kmsKeyId: KEY_ARN },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    vpcOptions: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] },
  };
}

/** A public domain whose access policy names the Firehose role. */
export function publicOpenSearchDomain() {
  return patched(openSearchDomain(), {
    vpcOptions: undefined,
    accessPolicies: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: ROLE_ARN },
          Action: "es:ESHttp*",
          Resource: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/search/*`,
        },
      ],
    }),
  });
}

export function redshiftCluster() {
  return {
    clusterIdentifier: "warehouse",
    nodeType: "ra3.large",
    encrypted: "true",
    kmsKeyId: KEY_ARN,
    manageMasterPassword: true,
    masterUsername: "admin",
    publiclyAccessible: true,
  };
}

export function redshiftNamespace() {
  return { namespaceName: "warehouse", kmsKeyId: KEY_ARN, manageAdminPassword: true, adminUsername: "admin" };
}

export function snsTopic() {
  return { name: "alarms", kmsMasterKeyId: KEY_ARN };
}

export function logGroup() {
  return { name: "/aws/kinesisfirehose/events", retentionInDays: 30, kmsKeyId: KEY_ARN };
}

export function secret() {
  return { name: "redshift-firehose", kmsKeyId: KEY_ARN };
}

export function athenaWorkgroup() {
  return {
    name: "lake",
    configuration: {
      enforceWorkgroupConfiguration: true,
      resultConfiguration: {
        outputLocation: "s3://lake-bucket/athena/",
        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY_ARN },
      },
    },
  };
}

export function kmsKey() {
  return { description: "lake", enableKeyRotation: true, deletionWindowInDays: 30 };
}

export function bucketEncryption(bucket: string) {
  return {
    bucket,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
        bucketKeyEnabled: true,
      },
    ],
  };
}

/** A security group admitting Firehose's eu-west-1 CIDR on the Redshift port. */
export function warehouseSecurityGroup() {
  return {
    vpcId: "vpc-1",
    ingress: [
      { protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: ["52.19.239.192/27"] },
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
    ],
  };
}
