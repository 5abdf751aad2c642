// Schema pieces every destination's config shares. The bounds come from the policy pack's table of AWS limits, so
// config and the pack cannot disagree on them.
import { z } from "zod";
import { BufferLimits, RETRY_SECONDS } from "../../policy/rules/firehose-limits";

export const glueName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,127}$/, "must be lower-case letters, digits and '_'");

/**
 * Whether a column holds personal data: `true` masks it (its name joins the transform's PII_FIELDS); `false` is
 * the explicit, reviewable opt-out for a column whose name looks like PII but is not (see policy/lib/pii-columns).
 */
export const pii = z.boolean().optional();

/** A buffer within AWS's bounds for one destination type. */
export function bufferSchema(limits: BufferLimits) {
  return z.strictObject({
    sizeMiB: z.number().int().min(limits.sizeMiB.min).max(limits.sizeMiB.max),
    intervalSeconds: z.number().int().min(limits.intervalSeconds.min).max(limits.intervalSeconds.max),
  });
}

/** How long Firehose retries a failed delivery before giving the records up to the backup. */
export function retrySeconds(defaultSeconds: number) {
  return z.number().int().min(RETRY_SECONDS.min).max(RETRY_SECONDS.max).default(defaultSeconds);
}

/** Reports a cross-field problem at `path` (relative to the destination) from a `superRefine`. */
export function issueReporter(ctx: z.RefinementCtx): (path: (string | number)[], message: string) => void {
  return (path, message) =>
    // Stryker disable next-line StringLiteral: the program reports a custom issue by its path and message, never its code
    ctx.addIssue({ code: "custom", path, message });
}
