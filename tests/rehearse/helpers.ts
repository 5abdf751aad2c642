// Shared by the rehearsal's tests: the tools (or why a test is skipped) and stacks edited resource by resource.
import { loadStackFile, stackFilePath } from "../../config/stack-file";
import { EvaluatedStack, evaluateStack, StackResource } from "../../offline/evaluate-stack";

import { RehearsalTools, findRehearsalTools } from "../../rehearse/rehearse";

/** The tools, or undefined after printing the one-line reason the caller's tests are skipped. */
export function toolsOrSkip(ctx: Mocha.Context): RehearsalTools {
  const tools = findRehearsalTools();
  if ("missing" in tools) {
    console.log(`      skipped: ${tools.missing}`);
    ctx.skip();
  }
  return tools as RehearsalTools;
}

export function evaluate(stack: "dev" | "prod"): Promise<EvaluatedStack> {
  return evaluateStack(loadStackFile(stackFilePath(stack)));
}

/** The resource named `name` and everything it depends on (a component stands for its children). */
export function closureOf(stack: EvaluatedStack, name: string): StackResource[] {
  const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
  const keep = new Set<string>();
  const visit = (urn: string) => {
    if (keep.has(urn)) return;
    keep.add(urn);
    const r = byUrn.get(urn)!;
    r.dependencies.forEach(visit);
    stack.resources.filter((c) => c.parent === urn).forEach((c) => visit(c.urn));
  };
  visit(stack.resources.find((r) => r.name === name)!.urn);
  return stack.resources.filter((r) => keep.has(r.urn));
}

/** `resources` with the inputs of the one named `name` edited on a deep copy. */
export function withEdited(
  resources: StackResource[],
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs are arbitrary JSON
  edit: (inputs: Record<string, any>) => void,
): StackResource[] {
  return resources.map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs);
    edit(inputs);
    return { ...r, inputs };
  });
}
