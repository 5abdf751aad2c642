// Actions and condition keys that IAM does not know. IAM accepts a policy that names `s3:PutObjects` or
// conditions on a made-up key, and the statement then matches nothing: an Allow grants nothing (the call fails
// with AccessDenied hours after the deployment), a Deny never applies.
import { Finding, skipped, violation } from "../lib/findings";
import { StackResource, resourceLabel } from "../lib/run-rule";
import { IamCatalogue, ServiceCatalogue, isGlobalConditionKey } from "./catalogue";
import { PolicyDocumentRead, policyDocumentsOf } from "./policy-documents";

export interface KnownNamesConfig {
  /** Actions to accept although the catalogue does not list them yet (it lags new AWS releases by a day or so). */
  readonly additionalActions: string[];
  /** Condition keys to accept although the catalogue does not list them yet. */
  readonly additionalConditionKeys: string[];
}

export function unknownIamNames(
  resources: readonly StackResource[],
  config: KnownNamesConfig,
  catalogue: IamCatalogue,
): Finding[] {
  return resources
    .flatMap(policyDocumentsOf)
    .flatMap((document) => documentFindings(document, config, catalogue));
}

function documentFindings(
  document: PolicyDocumentRead,
  config: KnownNamesConfig,
  catalogue: IamCatalogue,
): Finding[] {
  const where = `${resourceLabel(document.resource)}: ${document.field}`;
  if ("unknown" in document) return [skipped(document.unknown, "IAM actions and condition keys exist")];
  if ("invalid" in document) return [violation(`${where} ${document.invalid}`, document.resource.urn)];
  return document.statements.flatMap((statement) => {
    const problems = [
      ...statement.actions.map((action) => actionProblem(action, config, catalogue)),
      ...statement.conditionKeys.map((key) => conditionKeyProblem(key, config, catalogue)),
    ];
    return problems
      .filter((problem): problem is string => problem !== undefined)
      .map((problem) => violation(`${where} statement ${statement.label} ${problem}`, document.resource.urn));
  });
}

function actionProblem(
  action: string,
  config: KnownNamesConfig,
  catalogue: IamCatalogue,
): string | undefined {
  if (action === "*" || includesIgnoringCase(config.additionalActions, action)) return undefined;
  const [prefix, name, ...rest] = action.split(":");
  const service = catalogue.services.get(prefix.toLowerCase());
  if (name === undefined || rest.length > 0 || name === "") {
    return `names '${action}', which is not of the form service:Action`;
  }
  if (!service) {
    return `names ${action}, but '${prefix}' is not an IAM service prefix; fix the prefix`;
  }
  if (/[*?]/.test(name)) {
    const pattern = globOf(name);
    if ([...service.actions.keys()].some((known) => pattern.test(known))) return undefined;
    return `names ${action}, which matches no ${prefix} action; fix the pattern or name the actions`;
  }
  if (service.actions.has(name.toLowerCase())) return undefined;
  const suggestion = closestAction(name, service);
  return (
    `names ${action}, which is not an IAM action${suggestion ? ` (did you mean ${prefix}:${suggestion}?)` : ""}: ` +
    "IAM accepts it and grants nothing, so the call fails with AccessDenied at run time"
  );
}

function conditionKeyProblem(
  key: string,
  config: KnownNamesConfig,
  catalogue: IamCatalogue,
): string | undefined {
  if (isGlobalConditionKey(key) || includesIgnoringCase(config.additionalConditionKeys, key))
    return undefined;
  const prefix = key.slice(0, Math.max(key.indexOf(":"), 0));
  // An identity provider's claims (`token.actions.githubusercontent.com:sub`): named by the provider, not IAM.
  if (prefix.includes(".")) return undefined;
  const service = catalogue.services.get(prefix.toLowerCase());
  if (service?.conditionKeys.some((template) => template.test(key))) return undefined;
  return (
    `conditions on ${key}, which is neither a global condition key nor one of ${prefix || "any service"}'s: ` +
    "the key is never in the request, so the condition never matches; fix the key's name"
  );
}

/** A known action within two edits of `name` (a typo), the nearest first. */
function closestAction(name: string, service: ServiceCatalogue): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const [lower, action] of service.actions) {
    const distance = editDistance(name.toLowerCase(), lower);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: action.name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** IAM's wildcards: `*` any run of characters, `?` one character; case-insensitive like action names. */
export function globOf(pattern: string): RegExp {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i");
}

function includesIgnoringCase(list: readonly string[], value: string): boolean {
  return list.some((item) => item.toLowerCase() === value.toLowerCase());
}
