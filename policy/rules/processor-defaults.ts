// Processor settings that AWS accepts but that do nothing. Lambda processor parameters set to Firehose's
// defaults: @pulumi/aws (like the Terraform provider) leaves a parameter out of state when it equals the
// default, so writing it explicitly shows a diff on every preview (pulumi-aws and terraform-provider-aws
// issues). Processors under `enabled: false`: they never run (Terraform's acceptance tests deploy exactly
// that, so it is no error; with dynamic partitioning the mandatory firehose-destination-config rejects it).
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { destinationBlocks } from "./firehose-destinations";
import { processingOf } from "./firehose-processors";

export interface ProcessorDefaultsConfig {
  /** Parameter name -> Firehose's default value, as the string the API takes. */
  readonly defaults: Readonly<Record<string, string>>;
}

export function checkProcessorDefaults(inputs: InputObject, config: ProcessorDefaultsConfig): Finding[] {
  return destinationBlocks(inputs).flatMap((block): Finding[] => {
    const processing = processingOf(block.config, block.path);
    if (processing === undefined) {
      return [];
    }
    if (isUnknown(processing.processors)) {
      return [skipped(processing.processors, "processor parameters left at their defaults")];
    }
    const disabled: Finding[] =
      processing.processors.length > 0 && processing.enabled !== true && !isUnknown(processing.enabled)
        ? [
            violation(
              `${processing.path}.enabled is ${String(processing.enabled ?? "not set")}, so its ` +
                `${processing.processors.length} processor(s) never run: set enabled: true, or remove them`,
            ),
          ]
        : [];
    return disabled.concat(
      processing.processors
        .filter((processor) => processor.type === "Lambda")
        .flatMap((processor) =>
          [...processor.parameters].flatMap(([name, value]): Finding[] => {
            const byDefault = config.defaults[name];
            // Stryker disable next-line ConditionalExpression,LogicalOperator,BlockStatement: Number() of an absent default or of an absent or unknown value is NaN, which the comparison below never matches.
            if (byDefault === undefined || isUnknown(value) || value === undefined) {
              return [];
            }
            return Number(value) === Number(byDefault)
              ? [
                  violation(
                    `${processor.path} sets ${name} to "${value}", Firehose's default: the provider drops it from ` +
                      "state, so every preview shows a diff; leave the parameter out",
                  ),
                ]
              : [];
          }),
        ),
    );
  });
}
