// A stand-in for AWS under Pulumi's mock runtime: every resource gets the ids and ARNs AWS would give it, in
// the shapes IAM and the policies parse, and any provider call the program is not known to make fails loudly.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";

/** One resource the program registered, with exactly the inputs and options it gave. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`: shows the component it is under. */
  readonly urn: string;
  /** URN of the parent component; absent for top-level resources. */
  readonly parent?: string;
  /** The id the mock gave it (dependents refer to security groups and keys by id); absent in hand-made records. */
  readonly id?: string;
  readonly protect: boolean;
  /** Kept in the cloud when the stack deletes it. */
  readonly retainOnDelete: boolean;
  /** URNs of the resources it depends on (`dependsOn` and the resources its inputs came from). */
  readonly dependencies: string[];
  /** For each input, the URNs of the resources its value came from. */
  readonly propertyDependencies: Record<string, string[]>;
  // Resource inputs are arbitrary JSON: their shape depends on the resource type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly inputs: Record<string, any>;
  /** The state the mock returned: the inputs plus the computed ids and ARNs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly state: Record<string, any>;
}

function suffix(seed: string, length = 7): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** A deterministic UUID-shaped id, as KMS key ids are. */
function uuidOf(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see RecordedResource.inputs
type State = Record<string, any>;

/** The computed attributes AWS returns for each resource type the program creates. */
function computedState(
  type: string,
  name: string,
  inputs: State,
  region: string,
): { id: string; state: State } {
  const acct = MOCK_ACCOUNT;
  const physical: string = inputs.name ?? `${name}-${suffix(name)}`;
  const arn = (service: string, resource: string, withRegion = true) =>
    `arn:aws:${service}:${withRegion ? region : ""}:${service === "s3" ? "" : acct}:${resource}`;
  switch (type) {
    case "aws:kms/key:Key": {
      const keyId = uuidOf(name);
      return { id: keyId, state: { keyId, arn: arn("kms", `key/${keyId}`) } };
    }
    case "aws:kms/alias:Alias":
      return { id: inputs.name, state: { arn: arn("kms", inputs.name) } };
    case "aws:s3/bucket:Bucket": {
      const bucket: string = inputs.bucket ?? `${name}-${suffix(name)}`;
      return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}`, region } };
    }
    case "aws:glue/catalogDatabase:CatalogDatabase":
      return {
        id: `${acct}:${inputs.name}`,
        state: { arn: arn("glue", `database/${inputs.name}`), catalogId: acct },
      };
    case "aws:glue/catalogTable:CatalogTable":
      return {
        id: `${acct}:${inputs.databaseName}:${inputs.name}`,
        state: { arn: arn("glue", `table/${inputs.databaseName}/${inputs.name}`), catalogId: acct },
      };
    case "aws:athena/workgroup:Workgroup":
      return { id: inputs.name, state: { arn: arn("athena", `workgroup/${inputs.name}`) } };
    case "aws:iam/role:Role":
      return {
        id: physical,
        state: {
          name: physical,
          arn: `arn:aws:iam::${acct}:role/${physical}`,
          uniqueId: `AROA${suffix(name, 16).toUpperCase()}`,
        },
      };
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${inputs.role}:${physical}`, state: { name: physical } };
    case "aws:lambda/function:Function":
      return {
        id: physical,
        state: {
          name: physical,
          arn: arn("lambda", `function:${physical}`),
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/functions/${arn("lambda", `function:${physical}`)}/invocations`,
        },
      };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical, state: { name: physical, arn: arn("logs", `log-group:${physical}`) } };
    case "aws:secretsmanager/secret:Secret":
      return {
        id: arn("secretsmanager", `secret:${physical}-${suffix(name, 6)}`),
        state: { name: physical, arn: arn("secretsmanager", `secret:${physical}-${suffix(name, 6)}`) },
      };
    case "aws:kinesis/stream:Stream":
      return {
        id: arn("kinesis", `stream/${physical}`),
        state: { name: physical, arn: arn("kinesis", `stream/${physical}`) },
      };
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return {
        id: arn("firehose", `deliverystream/${physical}`),
        state: { name: physical, arn: arn("firehose", `deliverystream/${physical}`), versionId: "1" },
      };
    case "aws:sfn/stateMachine:StateMachine":
      return {
        id: arn("states", `stateMachine:${physical}`),
        state: { name: physical, arn: arn("states", `stateMachine:${physical}`) },
      };
    case "aws:sns/topic:Topic":
      return { id: arn("sns", physical), state: { name: physical, arn: arn("sns", physical) } };
    case "aws:opensearch/domain:Domain": {
      const domain: string = inputs.domainName ?? `${name}-${suffix(name)}`.slice(0, 28);
      return {
        id: arn("es", `domain/${domain}`),
        state: {
          domainName: domain,
          arn: arn("es", `domain/${domain}`),
          endpoint: `vpc-${domain}-${suffix(name, 26)}.${region}.es.amazonaws.com`,
          domainId: `${acct}/${domain}`,
        },
      };
    }
    case "aws:redshiftserverless/namespace:Namespace":
      return {
        id: inputs.namespaceName,
        state: {
          arn: arn("redshift-serverless", `namespace/${uuidOf(name)}`),
          namespaceId: uuidOf(name),
          adminPasswordSecretArn: arn(
            "secretsmanager",
            `secret:redshift!${inputs.namespaceName}-admin-${suffix(name, 6)}`,
          ),
        },
      };
    case "aws:redshiftserverless/workgroup:Workgroup":
      return {
        id: inputs.workgroupName,
        state: {
          arn: arn("redshift-serverless", `workgroup/${uuidOf(name)}`),
          workgroupId: uuidOf(name),
          endpoints: [
            {
              address: `${inputs.workgroupName}.${acct}.${region}.redshift-serverless.amazonaws.com`,
              port: inputs.port ?? 5439,
              vpcEndpoints: [],
            },
          ],
        },
      };
    case "aws:redshift/cluster:Cluster":
      return {
        id: inputs.clusterIdentifier,
        state: {
          arn: arn("redshift", `cluster:${inputs.clusterIdentifier}`),
          endpoint: `${inputs.clusterIdentifier}.c${suffix(name, 10)}.${region}.redshift.amazonaws.com:${inputs.port ?? 5439}`,
          dnsName: `${inputs.clusterIdentifier}.c${suffix(name, 10)}.${region}.redshift.amazonaws.com`,
          masterPasswordSecretArn: arn(
            "secretsmanager",
            `secret:redshift!${inputs.clusterIdentifier}-awsuser-${suffix(name, 6)}`,
          ),
        },
      };
    case "aws:redshift/subnetGroup:SubnetGroup": {
      const group: string = inputs.name ?? `${name}-${suffix(name)}`;
      return { id: group, state: { name: group, arn: arn("redshift", `subnetgroup:${group}`) } };
    }
    case "aws:redshiftdata/statement:Statement":
      return { id: uuidOf(name), state: {} };
    case "aws:ec2/securityGroup:SecurityGroup":
      return {
        id: `sg-${suffix(name, 17)}`,
        state: { arn: arn("ec2", `security-group/sg-${suffix(name, 17)}`) },
      };
    case "awsx:ec2:Vpc":
      return {
        id: `vpc-${suffix(name, 17)}`,
        state: {
          vpcId: `vpc-${suffix(name, 17)}`,
          publicSubnetIds: [1, 2, 3].map((i) => `subnet-${suffix(`${name}-public-${i}`, 17)}`),
          privateSubnetIds: [1, 2, 3].map((i) => `subnet-${suffix(`${name}-private-${i}`, 17)}`),
          isolatedSubnetIds: [],
        },
      };
    case "random:index/randomPassword:RandomPassword":
      return { id: "none", state: { result: `mock-${suffix(name, 32)}` } };
    default:
      return { id: `${physical}-id`, state: { arn: arn(type.split(":")[1].split("/")[0], physical) } };
  }
}

/** Provider calls (data sources) the program makes, answered as AWS would for MOCK_ACCOUNT. */
function callResult(token: string, region: string): State {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/ci`,
        userId: "AIDAMOCK",
        id: MOCK_ACCOUNT,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region };
    default:
      throw new Error(
        `unexpected provider call ${token}: add it to offline/mock-cloud.ts if the program needs it`,
      );
  }
}

/** The parts of the engine's RegisterResourceRequest (a protobuf message) that say where a resource sits. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}
type RegisterCallback = (err: unknown, response?: { getUrn(): string; getId(): string }) => void;
interface RegisteringMonitor {
  registerResource(req: RegisterRequest, callback: RegisterCallback): Promise<void>;
}

function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
  const byInput: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => (byInput[key] = deps.getUrnsList()));
  return byInput;
}

/**
 * Installs the mocks for one stack and returns the list that records its resources. Pulumi's settings are
 * per process: call this once before evaluating each stack.
 */
export function installMockCloud(project: string, stack: string, region: string): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const inputsOf = new Map<string, { inputs: State; state: State }>();
  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { id, state } = computedState(args.type, args.name, args.inputs, region);
        const full = { ...args.inputs, ...state };
        inputsOf.set(`${args.type}::${args.name}`, { inputs: args.inputs, state: full });
        return { id, state: full };
      },
      call(args) {
        return callResult(args.token, region);
      },
    },
    project,
    stack,
    false,
  );
  // The mocks see a resource's inputs but not its parent, options or URN: the monitor's request has them.
  const monitor = pulumi.runtime.getMonitor() as unknown as RegisteringMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      const seen = inputsOf.get(`${req.getType()}::${req.getName()}`);
      if (!err && response && seen) {
        recorded.push({
          type: req.getType(),
          name: req.getName(),
          urn: response.getUrn(),
          parent: req.getParent() || undefined,
          id: response.getId() || undefined,
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete() === true,
          dependencies: req.getDependenciesList(),
          propertyDependencies: propertyDependenciesOf(req),
          ...seen,
        });
      }
      callback(err, response);
    });
  return recorded;
}
