// Whether a policy's Resource can match more than one named resource. A wildcard below a named resource is
// narrow (the objects of one bucket, the versions of one function, the streams of one log group, the paths of one
// domain); a wildcard in the partition, region or account, or in the resource's own name, is wide (`key/*`,
// `arn:aws:s3:::*`, `log-group:/aws/kinesisfirehose/*`). The resource's name is read from the service's ARN
// formats in the catalogue: the first variable after the account, up to the separator the service puts after it.
import { IamCatalogue } from "./catalogue";

const ACCOUNT_VARIABLES = ["${Partition}", "${Region}", "${Account}"];

export function isWideResource(resource: string, catalogue: IamCatalogue): boolean {
  if (!/[*?]/.test(resource)) return false;
  const [arn, partition, service, region, account] = resource.split(":");
  if (arn !== "arn" || account === undefined) return true;
  if ([partition, service, region, account].some((field) => /[*?]/.test(field))) return true;
  const formats = catalogue.services.get(service)?.arnFormats ?? [];
  return !formats.some((format) => {
    const name = nameIn(resource, format);
    return (
      name !== undefined &&
      name !== "" &&
      !/[*?]/.test(cutAtSeparator(name, separatorsAfterName(format, formats)))
    );
  });
}

/** The text `format`'s name variable matches in `resource`, or undefined when the format does not match. */
function nameIn(resource: string, format: string): string | undefined {
  const pieces = format.split(/(\$\{[^}]+\})/);
  let named = false;
  const source = pieces
    .map((piece) => {
      if (!piece.startsWith("${")) return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      if (ACCOUNT_VARIABLES.includes(piece)) return "[^:]*";
      if (named) return ".+";
      named = true;
      return "(.+)";
    })
    .join("");
  return new RegExp(`^${source}$`).exec(resource)?.[1];
}

/**
 * The characters that end a name in this service's ARNs: what follows the name variable in the formats that
 * share its prefix (`:` for log groups and functions, `/` for buckets); `/` when no format continues.
 */
function separatorsAfterName(format: string, formats: readonly string[]): string[] {
  const prefix = format.slice(0, nameVariableIndex(format));
  const separators = formats
    .filter((other) => other.startsWith(prefix))
    .map((other) => other.slice(nameVariableIndex(other)).replace(/^\$\{[^}]+\}/, "")[0])
    .filter((c): c is string => c !== undefined && c !== "$");
  return separators.length > 0 ? [...new Set(separators)] : ["/"];
}

function nameVariableIndex(format: string): number {
  const variables = [...format.matchAll(/\$\{[^}]+\}/g)].filter((m) => !ACCOUNT_VARIABLES.includes(m[0]));
  return variables[0]?.index ?? format.length;
}

function cutAtSeparator(name: string, separators: readonly string[]): string {
  const cuts = separators.map((s) => name.indexOf(s, 1)).filter((i) => i > 0);
  return cuts.length > 0 ? name.slice(0, Math.min(...cuts)) : name;
}
