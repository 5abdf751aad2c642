// IAM policy documents as typed values, so every grant in the program is written the same way.
import * as pulumi from "@pulumi/pulumi";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** A policy document as JSON, resolving the Outputs inside its statements. */
export function policyDocument(statements: pulumi.Input<PolicyStatement>[]): pulumi.Output<string> {
  return pulumi
    .all(statements.map((s) => pulumi.output(s)))
    .apply((resolved) => JSON.stringify({ Version: "2012-10-17", Statement: resolved }));
}

/**
 * A trust policy letting one AWS service assume the role; `conditions` add confused-deputy protection where
 * the service supports it (Firehose: `sts:ExternalId` = the account).
 */
export function serviceTrustPolicy(
  service: string,
  conditions?: pulumi.Input<PolicyStatement["Condition"]>,
): pulumi.Output<string> {
  return pulumi.output(conditions).apply((condition) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    }),
  );
}
