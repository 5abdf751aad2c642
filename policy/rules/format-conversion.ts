// Record format conversion (JSON to Parquet/ORC): extended S3 only, stream compression UNCOMPRESSED (compress
// inside the columnar format), a Glue table for the schema, exactly one deserializer and one serializer.
import { booleanAt, Maybe, objectAt, stringAt, valueAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, InputValue, isUnknown } from "../lib/unknown-values";
import { destinationOf } from "./firehose-destinations";

export const OUTPUT_FORMATS = ["parquet", "orc"] as const;

export interface FormatConversionConfig {
  /** Serializers the organisation accepts. */
  readonly allowedOutputFormats: readonly string[];
}

const PATH = "extendedS3Configuration.dataFormatConversionConfiguration";

const DESERIALIZERS = ["openXJsonSerDe", "hiveJsonSerDe"];
const SERIALIZERS = { parquetSerDe: "parquet", orcSerDe: "orc" };

export function checkFormatConversion(inputs: InputObject, config: FormatConversionConfig): Finding[] {
  const conversion = objectAt(inputs, "extendedS3Configuration", "dataFormatConversionConfiguration");
  if (conversion === undefined) {
    return [];
  }
  // Stryker disable next-line ConditionalExpression,BlockStatement: `enabled` below reads the same unknown, same note
  if (isUnknown(conversion)) {
    return [skipped(conversion, "format conversion settings")];
  }
  const enabled = booleanAt(conversion, "enabled") ?? true;
  if (isUnknown(enabled)) {
    return [skipped(enabled, "format conversion settings")];
  }
  if (!enabled) {
    return [];
  }
  return [
    ...checkDestination(inputs),
    ...checkCompression(inputs),
    ...checkSchema(conversion),
    ...checkExactlyOne(
      objectAt(conversion, "inputFormatConfiguration", "deserializer"),
      `${PATH}.inputFormatConfiguration.deserializer`,
      DESERIALIZERS,
    ),
    ...checkSerializer(conversion, config),
  ];
}

function checkDestination(inputs: InputObject): Finding[] {
  const destination = destinationOf(inputs);
  if (isUnknown(destination)) {
    return [skipped(destination, "format conversion only on extended_s3")];
  }
  return destination === "extended_s3"
    ? []
    : [
        violation(
          `${PATH} is set but destination is "${destination ?? ""}"; only extended_s3 converts formats`,
        ),
      ];
}

function checkCompression(inputs: InputObject): Finding[] {
  const compression = stringAt(inputs, "extendedS3Configuration", "compressionFormat") ?? "UNCOMPRESSED";
  if (isUnknown(compression)) {
    return [skipped(compression, "compressionFormat is UNCOMPRESSED with format conversion")];
  }
  return compression === "UNCOMPRESSED"
    ? []
    : [
        violation(
          `extendedS3Configuration.compressionFormat is "${compression}" with format conversion enabled; AWS ` +
            "requires UNCOMPRESSED: set it to UNCOMPRESSED and compress inside the format " +
            "(parquetSerDe.compression or orcSerDe.compression)",
        ),
      ];
}

function checkSchema(conversion: InputObject): Finding[] {
  const schema = objectAt(conversion, "schemaConfiguration");
  if (isUnknown(schema)) {
    return [skipped(schema, "schemaConfiguration names a Glue table")];
  }
  const missing = ["databaseName", "tableName", "roleArn"].filter(
    (key) => stringAt(schema, key) === undefined,
  );
  return missing.length === 0
    ? []
    : [
        violation(
          `${PATH}.schemaConfiguration is missing ${missing.join(", ")}: point it at the Glue table that ` +
            "describes the records (database, table, and a role Firehose can read it with)",
        ),
      ];
}

function checkExactlyOne(
  container: Maybe<InputObject>,
  field: string,
  choices: readonly string[],
): Finding[] {
  if (isUnknown(container)) {
    return [skipped(container, `exactly one of ${choices.join(", ")}`)];
  }
  const chosen = choices.filter((key) => isPresent(container?.[key]));
  if (chosen.length === 1) {
    return [];
  }
  const options = choices.join(" or ");
  const received = chosen.length === 0 ? "none is set" : `${chosen.join(" and ")} are set`;
  return [violation(`${field} needs exactly one of ${options}, but ${received}: keep exactly one`)];
}

function checkSerializer(conversion: InputObject, config: FormatConversionConfig): Finding[] {
  const field = `${PATH}.outputFormatConfiguration.serializer`;
  const serializer = objectAt(conversion, "outputFormatConfiguration", "serializer");
  const findings = checkExactlyOne(serializer, field, Object.keys(SERIALIZERS));
  if (findings.length > 0) {
    return findings;
  }
  return Object.entries(SERIALIZERS)
    .filter(([key]) => isPresent(valueAt(serializer, key)))
    .filter(([, format]) => !config.allowedOutputFormats.includes(format))
    .map(([key, format]) =>
      violation(
        `${field}.${key} writes ${format}, which the organisation does not allow: use one of ` +
          `${config.allowedOutputFormats.join(", ")}`,
      ),
    );
}

/** An empty block (`openXJsonSerDe: {}`) selects that SerDe with its defaults. */
function isPresent(value: InputValue | undefined): boolean {
  return value !== undefined && value !== null;
}
