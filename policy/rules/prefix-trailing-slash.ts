// Firehose names an object `<evaluated prefix><stream>-<version>-<date>-<uuid>`: a prefix that ends in neither
// `/` nor an expression glues the object name onto its last folder (`data/events` gives
// `data/eventsfirehose-etl-dev-events-1-...`), so the objects sit beside the folder a table or a reader expects.
import { stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { s3Configurations } from "./firehose-destinations";

export interface TrailingSlashConfig {
  /** Also accept a prefix that ends in a `!{...}` expression. */
  readonly allowTrailingExpression: boolean;
}

export function checkPrefixTrailingSlash(inputs: InputObject, config: TrailingSlashConfig): Finding[] {
  return s3Configurations(inputs).flatMap((s3) =>
    ["prefix", "errorOutputPrefix"].flatMap((key): Finding[] => {
      const value = stringAt(s3.config, key);
      if (isUnknown(value)) return [skipped(value, "the prefix ends in '/'")];
      if (value === undefined || value.endsWith("/")) return [];
      if (config.allowTrailingExpression && /!\{[^}]*\}$/.test(value)) return [];
      return [
        violation(
          `${s3.path}.${key} "${value}" does not end in "/", so Firehose appends the object name to its last ` +
            `segment instead of writing into a folder: write "${value}/"`,
        ),
      ];
    }),
  );
}
