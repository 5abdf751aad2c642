// Data prefixes (`prefix`) of S3 configurations: valid expressions, no error-output-type, and partition keys
// that dynamic partitioning can actually produce. Redshift's staging prefix has its own rule (no expressions).
import { booleanAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { S3Configuration, s3Configurations } from "./firehose-destinations";
import { activeProcessors, processingOf, Processor } from "./firehose-processors";
import { jqObjectKeys } from "./jq-object-keys";
import { ERROR_OUTPUT_TYPE, ParsedPrefix, partitionKeyExpressions } from "./prefix-expressions";
import { checkPrefixSyntax } from "./prefix-syntax";

export interface PrefixConfig {
  /** Longest prefix accepted, in characters (AWS: 1024 as written). */
  readonly maxPrefixLength: number;
  /** Most keys a MetadataExtraction query may produce (AWS CDK caps it at 50). */
  readonly maxPartitionKeys: number;
}

export const JQ_ENGINE = "JQ-1.6";

export function checkDataPrefixes(inputs: InputObject, config: PrefixConfig): Finding[] {
  return s3Configurations(inputs)
    .filter((s3) => s3.role !== "staging")
    .flatMap((s3) => checkDataPrefix(s3, config));
}

function checkDataPrefix(s3: S3Configuration, config: PrefixConfig): Finding[] {
  if (isUnknown(s3.config)) {
    return [skipped(s3.config, "prefix expressions")];
  }
  const field = `${s3.path}.prefix`;
  const prefix = stringAt(s3.config, "prefix");
  if (isUnknown(prefix)) {
    return [skipped(prefix, "prefix expressions")];
  }
  if (s3.role === "delivery") {
    return [...checkMetadataExtraction(s3, config), ...checkPartitionKeys(s3, prefix ?? "", config)];
  }
  if (prefix === undefined) {
    return [];
  }
  const { parsed, findings } = checkPrefixSyntax(field, prefix, config.maxPrefixLength);
  findings.push(...errorTypeInDataPrefix(field, prefix));
  const keys = partitionKeyExpressions(parsed);
  if (keys.length > 0) {
    findings.push(
      violation(
        `${field} "${prefix}" uses ${keys.map((k) => k.text).join(", ")}; partition keys exist only in the ` +
          "extended S3 configuration with dynamic partitioning: remove them from this prefix",
      ),
    );
  }
  return findings;
}

function errorTypeInDataPrefix(field: string, prefix: string): Finding[] {
  return prefix.includes(ERROR_OUTPUT_TYPE)
    ? [
        violation(
          `${field} "${prefix}" contains ${ERROR_OUTPUT_TYPE}, which only errorOutputPrefix may use: remove it`,
        ),
      ]
    : [];
}

/** Partition keys of the extended S3 prefix against dynamic partitioning and the processors that make them. */
function checkPartitionKeys(s3: S3Configuration, prefix: string, config: PrefixConfig): Finding[] {
  const field = `${s3.path}.prefix`;
  const { parsed, findings } = checkPrefixSyntax(field, prefix, config.maxPrefixLength);
  findings.push(...errorTypeInDataPrefix(field, prefix));
  const keys = partitionKeyExpressions(parsed);
  const partitioning = booleanAt(s3.config, "dynamicPartitioningConfiguration", "enabled");
  if (isUnknown(partitioning)) {
    return [...findings, skipped(partitioning, "partition keys match dynamic partitioning")];
  }
  if (partitioning !== true) {
    if (keys.length > 0) {
      findings.push(
        violation(
          `${field} "${prefix}" uses ${keys.map((k) => k.text).join(", ")} but ` +
            'dynamicPartitioningConfiguration.enabled is not true; AWS: "Dynamic Partitioning Namespaces can ' +
            'only be part of a prefix expression when Dynamic Partitioning is enabled": enable dynamic ' +
            "partitioning (only possible when the stream is created) or remove the keys",
        ),
      );
    }
    return findings;
  }
  if (keys.length === 0) {
    findings.push(
      violation(
        (prefix === ""
          ? `dynamic partitioning is enabled but ${field} is not set, so no object key can carry a partition key ` +
            "and AWS rejects the stream"
          : `dynamic partitioning is enabled but ${field} "${prefix}" has no partition key, so records of ` +
            "every partition share one object") +
          ": add !{partitionKeyFromQuery:<key>} or !{partitionKeyFromLambda:<key>} to the prefix",
      ),
    );
    return findings;
  }
  const processors = activeProcessors(processingOf(s3.config, s3.path));
  if (isUnknown(processors)) {
    return [...findings, skipped(processors, "partition keys are produced by a processor")];
  }
  return [...findings, ...checkKeySources(field, parsed, processors)];
}

function checkKeySources(field: string, parsed: ParsedPrefix, processors: readonly Processor[]): Finding[] {
  const findings: Finding[] = [];
  const queryKeys = parsed.expressions.filter((e) => e.namespace === "partitionKeyFromQuery");
  const lambdaKeys = parsed.expressions.filter((e) => e.namespace === "partitionKeyFromLambda");
  const extractors = processors.filter((p) => p.type === "MetadataExtraction");
  if (queryKeys.length > 0 && extractors.length === 0) {
    findings.push(
      violation(
        `${field} uses ${queryKeys.map((k) => k.text).join(", ")} but no MetadataExtraction processor runs ` +
          "(processingConfiguration with enabled: true): add one whose MetadataExtractionQuery produces the keys",
      ),
    );
  }
  for (const extractor of extractors) {
    const query = extractor.parameters.get("MetadataExtractionQuery");
    if (isUnknown(query)) {
      findings.push(skipped(query, "partition keys are produced by the jq query"));
      continue;
    }
    const parsedQuery = query === undefined ? undefined : jqObjectKeys(query);
    if (parsedQuery === undefined || !parsedQuery.ok) {
      continue;
    }
    for (const key of queryKeys) {
      if (parsedQuery.complete && !parsedQuery.keys.includes(key.value)) {
        findings.push(
          violation(
            `${field} uses ${key.text} but MetadataExtractionQuery '${query}' of ${extractor.path} produces ` +
              `${parsedQuery.keys.join(", ") || "no keys"}: add ${key.value}: .<field> to the query or fix the prefix`,
          ),
        );
      }
    }
  }
  if (lambdaKeys.length > 0 && !processors.some((p) => p.type === "Lambda")) {
    findings.push(
      violation(
        `${field} uses ${lambdaKeys.map((k) => k.text).join(", ")} but no Lambda processor runs: add a Lambda ` +
          "processor that returns metadata.partitionKeys, or use partitionKeyFromQuery with a MetadataExtraction query",
      ),
    );
  }
  return findings;
}

/** The MetadataExtraction processors of the extended S3 configuration: a jq 1.6 object query. */
function checkMetadataExtraction(s3: S3Configuration, config: PrefixConfig): Finding[] {
  const processing = processingOf(s3.config, s3.path);
  const processors = processing?.processors ?? [];
  if (isUnknown(processors)) {
    return [skipped(processors, "MetadataExtraction query")];
  }
  return processors
    .filter((processor) => processor.type === "MetadataExtraction")
    .flatMap((processor) => {
      const findings: Finding[] = [];
      const engine = processor.parameters.get("JsonParsingEngine");
      if (isUnknown(engine)) {
        findings.push(skipped(engine, `JsonParsingEngine is ${JQ_ENGINE}`));
      } else if (engine !== JQ_ENGINE) {
        findings.push(
          violation(
            `${processor.path} parameter JsonParsingEngine is ${engine === undefined ? "not set" : `"${engine}"`}: ` +
              `set it to "${JQ_ENGINE}"`,
          ),
        );
      }
      const query = processor.parameters.get("MetadataExtractionQuery");
      if (isUnknown(query)) {
        findings.push(skipped(query, "MetadataExtractionQuery is a jq object"));
        return findings;
      }
      if (query === undefined) {
        findings.push(
          violation(
            `${processor.path} has no MetadataExtractionQuery parameter: add a jq object query such as ` +
              "{customer_id: .customer_id}",
          ),
        );
        return findings;
      }
      const keys = jqObjectKeys(query);
      if (!keys.ok) {
        findings.push(violation(`${processor.path} MetadataExtractionQuery '${query}' ${keys.error}`));
      } else if (keys.keys.length > config.maxPartitionKeys) {
        findings.push(
          violation(
            `${processor.path} MetadataExtractionQuery produces ${keys.keys.length} keys; the limit is ` +
              `${config.maxPartitionKeys}: extract fewer partition keys`,
          ),
        );
      }
      return findings;
    });
}
