// Every policy of the pack, in the order the Pulumi CLI lists them. Importable without starting the analyzer
// server (only index.ts constructs the PolicyPack).
import { Policies } from "@pulumi/policy";
import { athenaWorkgroupEncryption } from "./policies/athena-workgroup-encryption";
import { firehoseBufferBounds } from "./policies/firehose-buffer-bounds";
import { firehoseBufferOrganisationBounds } from "./policies/firehose-buffer-organisation-bounds";
import { firehoseDestinationConfig } from "./policies/firehose-destination-config";
import { firehoseEncryption } from "./policies/firehose-encryption";
import { firehoseErrorPrefix } from "./policies/firehose-error-prefix";
import { firehoseFormatConversion } from "./policies/firehose-format-conversion";
import { firehoseHttpEndpoint } from "./policies/firehose-http-endpoint";
import { firehoseIcebergDestination } from "./policies/firehose-iceberg-destination";
import { firehosePrefixExpressions } from "./policies/firehose-prefix-expressions";
import { firehosePrefixTimestampPatterns } from "./policies/firehose-prefix-timestamp-patterns";
import { firehosePrefixTrailingSlash } from "./policies/firehose-prefix-trailing-slash";
import { firehoseProcessorDefaults } from "./policies/firehose-processor-defaults";
import { firehoseRedshiftDestination } from "./policies/firehose-redshift-destination";
import { glueIcebergTable } from "./policies/glue-iceberg-table";
import { iamCataloguePolicies } from "./iam-catalogue";
import { kinesisStreamEncryption } from "./policies/kinesis-stream-encryption";
import { kmsKeyRotation } from "./policies/kms-key-rotation";
import { logGroupEncryption } from "./policies/log-group-encryption";
import { openSearchDomainAccess } from "./policies/opensearch-domain-access";
import { openSearchDomainPolicyAccess } from "./policies/opensearch-domain-policy-access";
import { openSearchDomainEncryption } from "./policies/opensearch-domain-encryption";
import { redshiftEncryption } from "./policies/redshift-encryption";
import { redshiftIngressRestricted } from "./policies/redshift-ingress-restricted";
import { redshiftManagedCredentials } from "./policies/redshift-managed-credentials";
import { s3BucketKmsEncryption } from "./policies/s3-bucket-kms-encryption";
import { secretEncryption } from "./policies/secret-encryption";
import { snsTopicEncryption } from "./policies/sns-topic-encryption";
import { transformPiiFields } from "./policies/transform-pii-fields";

export const policies: Policies = [
  // What AWS would reject at deploy time.
  firehoseDestinationConfig,
  firehoseBufferBounds,
  firehosePrefixExpressions,
  firehoseErrorPrefix,
  firehoseFormatConversion,
  firehoseRedshiftDestination,
  firehoseHttpEndpoint,
  firehoseIcebergDestination,
  // Encryption wherever data rests or flows.
  firehoseEncryption,
  s3BucketKmsEncryption,
  glueIcebergTable,
  kinesisStreamEncryption,
  openSearchDomainEncryption,
  redshiftEncryption,
  snsTopicEncryption,
  logGroupEncryption,
  secretEncryption,
  athenaWorkgroupEncryption,
  kmsKeyRotation,
  // Access to the warehouses.
  redshiftManagedCredentials,
  redshiftIngressRestricted,
  openSearchDomainAccess,
  openSearchDomainPolicyAccess,
  // No personal data delivered unmasked.
  transformPiiFields,
  // IAM documents checked against AWS's catalogue of actions and condition keys.
  ...iamCataloguePolicies,
  // The organisation's conventions.
  firehoseBufferOrganisationBounds,
  firehosePrefixTimestampPatterns,
  firehosePrefixTrailingSlash,
  firehoseProcessorDefaults,
];
