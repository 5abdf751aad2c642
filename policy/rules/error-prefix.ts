// `errorOutputPrefix` of every S3 configuration but Redshift's staging one (where AWS requires it absent, see
// the Redshift rule): present, typed by !{firehose:error-output-type}, free of partition keys, and apart from
// the data prefix (error files under a table's location break Athena queries and Glue crawlers).
import { Maybe, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { S3Configuration, s3Configurations } from "./firehose-destinations";
import {
  ERROR_OUTPUT_TYPE,
  hasExpressions,
  parsePrefix,
  partitionKeyExpressions,
  prefixesOverlap,
} from "./prefix-expressions";
import { checkPrefixSyntax } from "./prefix-syntax";

export interface ErrorPrefixConfig {
  /** Require errorOutputPrefix even where AWS does not (a data prefix without expressions). */
  readonly requireErrorOutputPrefix: boolean;
  /** Require !{firehose:error-output-type} even in a static errorOutputPrefix. */
  readonly requireErrorOutputType: boolean;
  readonly maxPrefixLength: number;
}

const EXAMPLE = `errors/${ERROR_OUTPUT_TYPE}/!{timestamp:yyyy/MM/dd}/`;

export function checkErrorPrefixes(inputs: InputObject, config: ErrorPrefixConfig): Finding[] {
  return s3Configurations(inputs)
    .filter((s3) => s3.role !== "staging")
    .flatMap((s3) => checkErrorPrefix(s3, config));
}

function checkErrorPrefix(s3: S3Configuration, config: ErrorPrefixConfig): Finding[] {
  const field = `${s3.path}.errorOutputPrefix`;
  const prefix = stringAt(s3.config, "prefix");
  const errorPrefix = stringAt(s3.config, "errorOutputPrefix");
  // An unknown S3 configuration lands here too: every read of it is that same unknown.
  if (isUnknown(errorPrefix)) {
    return [skipped(errorPrefix, "errorOutputPrefix rules")];
  }
  if (errorPrefix === undefined) {
    return missingErrorPrefix(field, prefix, config);
  }
  const { parsed, findings } = checkPrefixSyntax(field, errorPrefix, config.maxPrefixLength);
  if (!errorPrefix.includes(ERROR_OUTPUT_TYPE)) {
    if (hasExpressions(errorPrefix)) {
      findings.push(
        violation(
          `${field} "${errorPrefix}" has expressions but not ${ERROR_OUTPUT_TYPE}, which AWS then requires: ` +
            `add it, e.g. "${EXAMPLE}"`,
        ),
      );
    } else if (config.requireErrorOutputType) {
      findings.push(
        violation(
          `${field} "${errorPrefix}" does not contain ${ERROR_OUTPUT_TYPE}, so processing and conversion ` +
            `failures mix: add it, e.g. "${EXAMPLE}"`,
        ),
      );
    }
  }
  const keys = partitionKeyExpressions(parsed);
  if (keys.length > 0) {
    findings.push(
      violation(
        `${field} "${errorPrefix}" uses ${keys.map((k) => k.text).join(", ")}; AWS does not allow partition ` +
          "keys in errorOutputPrefix (records that failed have none): remove them",
      ),
    );
  }
  if (isUnknown(prefix)) {
    return [...findings, skipped(prefix, "errorOutputPrefix lies outside the data prefix")];
  }
  findings.push(...checkSeparation(s3.path, prefix, errorPrefix, parsed.literalHead));
  return findings;
}

function missingErrorPrefix(field: string, prefix: Maybe<string>, config: ErrorPrefixConfig): Finding[] {
  if (isUnknown(prefix)) {
    return config.requireErrorOutputPrefix
      ? [violation(`${field} is not set: set it, e.g. "${EXAMPLE}"`)]
      : [skipped(prefix, "errorOutputPrefix is required when prefix has expressions")];
  }
  if (typeof prefix === "string" && hasExpressions(prefix)) {
    return [
      violation(
        `${field} is not set while prefix "${prefix}" has expressions; AWS rejects this with "ErrorOutputPrefix ` +
          `cannot be null or empty when Prefix contains expressions": set it, e.g. "${EXAMPLE}"`,
      ),
    ];
  }
  return config.requireErrorOutputPrefix
    ? [
        violation(
          `${field} is not set, so Firehose writes failed records (raw, unmasked originals) to top-level ` +
            `processing-failed/ and format-conversion-failed/ folders (or a destination's own failure prefix), ` +
            "outside the error prefix whose retention, read restriction and replay cover them: set it, " +
            `e.g. "${EXAMPLE}"`,
        ),
      ]
    : [];
}

function checkSeparation(
  path: string,
  prefix: string | undefined,
  errorPrefix: string,
  errorHead: string,
): Finding[] {
  const dataHead = prefix === undefined ? "" : parsePrefix(prefix).literalHead;
  if (!prefixesOverlap(dataHead, errorHead)) {
    return [];
  }
  const where =
    dataHead === ""
      ? `${path}.prefix ${prefix === undefined ? "is not set" : `"${prefix}" starts with an expression`}, so data ` +
        "is written from the bucket root and errors land inside it"
      : `${path}.errorOutputPrefix "${errorPrefix}" and prefix "${prefix}" share the location "${
          errorHead.startsWith(dataHead) ? dataHead : errorHead
        }"`;
  return [
    violation(
      `${where}; error files under a table's location break Athena and Glue: give data and errors separate ` +
        'top-level prefixes, e.g. "data/..." and "errors/..."',
    ),
  ];
}
