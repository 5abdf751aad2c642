// Evaluates the Pulumi program for one stack's settings under Pulumi's mock runtime, without the CLI or an
// AWS account, and returns every resource it would create with its inputs and URN.
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { Platform, buildPlatform } from "../components/platform";
import { StackSecrets } from "../config/pulumi-config";
import { StackSettings } from "../config/settings";
import { RecordedResource, installMockCloud } from "./mock-cloud";

/** A resource the stack would create, with its inputs, options and URN. */
export type StackResource = RecordedResource;

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
  return { resources: recorded, platform };
}
