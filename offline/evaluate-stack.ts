// Evaluates the Pulumi program for one stack's settings under Pulumi's mock runtime, without the CLI or an
// AWS account, and returns every resource it would create with its inputs and URN.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { Platform, buildPlatform } from "../components/platform";
import { StackSecrets } from "../config/pulumi-config";
import { StackSettings } from "../config/settings";
import { RecordedResource, installMockCloud } from "./mock-cloud";

export interface StackResource extends RecordedResource {
  /** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`: shows the component each resource is under. */
  readonly urn: string;
}

export interface EvaluatedStack {
  readonly resources: StackResource[];
  readonly platform: Platform;
}

/** How the SDK itself waits for every registration to finish; internal, so missing from its typings. */
const { waitForRPCs } = runtimeSettings as unknown as { waitForRPCs: () => Promise<void> };

/** Secrets as `pulumi config set --secret` would give them; none by default, so generated ones are used. */
export const NO_SECRETS: StackSecrets = { byKey: new Map() };

export async function evaluateStack(
  settings: StackSettings,
  secrets: StackSecrets = NO_SECRETS,
): Promise<EvaluatedStack> {
  const recorded = installMockCloud(settings.project, settings.stack, settings.region);
  const platform = buildPlatform(settings, secrets);
  await waitForRPCs();
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  const urns = [...monitor.resources.keys()];
  const resources = recorded.map((r) => {
    const urn = urns.find(
      (u) => u.endsWith(`${r.type}::${r.name}`) && /[$:]$/.test(u.slice(0, -`${r.type}::${r.name}`.length)),
    );
    if (!urn) throw new Error(`no URN was registered for ${r.type} ${r.name}`);
    return { ...r, urn };
  });
  return { resources, platform };
}
