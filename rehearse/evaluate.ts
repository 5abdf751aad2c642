// Evaluates a stack as the offline check does (offline/evaluate-stack.ts), and also keeps the id the mock
// gave each resource: dependents refer to security groups and keys by id, which RecordedResource lacks.
import * as pulumi from "@pulumi/pulumi";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { buildPlatform } from "../components/platform";
import { StackSecrets } from "../config/pulumi-config";
import { StackSettings } from "../config/settings";
import { NO_SECRETS, StackResource } from "../offline/evaluate-stack";
import { installMockCloud } from "../offline/mock-cloud";

export interface RehearsalStack {
  readonly resources: StackResource[];
  /** The mock's id of each resource, by URN. */
  readonly ids: Map<string, string>;
}

const { waitForRPCs } = runtimeSettings as unknown as { waitForRPCs: () => Promise<void> };

type RegisterCallback = (err: unknown, response?: { getUrn(): string; getId(): string }) => void;
interface Monitor {
  registerResource(req: unknown, callback: RegisterCallback): Promise<void>;
}

export async function evaluateForRehearsal(
  settings: StackSettings,
  secrets: StackSecrets = NO_SECRETS,
): Promise<RehearsalStack> {
  const resources = installMockCloud(settings.project, settings.stack, settings.region);
  const ids = new Map<string, string>();
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response?.getId()) ids.set(response.getUrn(), response.getId());
      callback(err, response);
    });
  buildPlatform(settings, secrets);
  await waitForRPCs();
  return { resources, ids };
}
