// Who may assume each role, and with what confused-deputy context the assuming service sends.
import { AccessTable } from "../../../iam/access-table";
import { ContextValues } from "../../../iam/simulate";
import { StackRole } from "../../../iam/stack-iam";
import { ExpectedTrust } from "../../../iam/trust-policy";
import { StackFacts } from "../support/stack-under-test";

interface ServiceTrust extends ExpectedTrust {
  /** What the service sends when it assumes a role for a resource of `facts`' account. */
  readonly sends: (facts: StackFacts) => ContextValues;
}

/**
 * - Firehose: the developer guide's trust policy ("Allow Firehose to assume an IAM role") requires
 *   `sts:ExternalId` = the account ID, which Firehose sends for the stream's account.
 * - Glue: its table optimizers assume the role for a table of the account; aws:SourceAccount keeps another
 *   account's Glue from using it (AWS's cross-service confused-deputy guidance).
 * - Lambda: documents no aws:SourceArn / aws:SourceAccount for execution roles (and users report functions
 *   failing to start with them); the role is protected by iam:PassRole, which only the deployer holds.
 */
export const FIREHOSE: ServiceTrust = {
  service: "firehose.amazonaws.com",
  conditionKeys: ["sts:ExternalId"],
  sends: (facts) => ({ "sts:ExternalId": facts.account }),
};

/** Glue's table optimizers: the role is trusted for this account's Glue only (aws:SourceAccount). */
export const GLUE: ServiceTrust = {
  service: "glue.amazonaws.com",
  conditionKeys: ["aws:SourceAccount"],
  sends: (facts) => ({ "aws:SourceAccount": facts.account }),
};

/**
 * Step Functions: the replay state machine's role is trusted for that state machine only (aws:SourceArn) of
 * this account (aws:SourceAccount), which Step Functions sends when it assumes the role.
 */
export const STEP_FUNCTIONS: ServiceTrust = {
  service: "states.amazonaws.com",
  conditionKeys: ["aws:SourceAccount", "aws:SourceArn"],
  sends: (facts) => ({
    "aws:SourceAccount": facts.account,
    "aws:SourceArn": facts.replay?.stateMachineArn ?? "",
  }),
};

export const LAMBDA: ServiceTrust = { service: "lambda.amazonaws.com", conditionKeys: [], sends: () => ({}) };

const ANOTHER_ACCOUNT = "999999999999";

export function trustTable(facts: StackFacts, role: StackRole, trust: ServiceTrust): AccessTable {
  const assume = { action: "sts:AssumeRole", resource: role.arn };
  const sent = trust.sends(facts);
  const confusedDeputy = Object.keys(sent).map((key) => ({
    ...assume,
    principal: trust.service,
    context: { ...sent, [key]: ANOTHER_ACCOUNT },
    because: `${trust.service} acting for another account (${key} of account ${ANOTHER_ACCOUNT})`,
  }));
  return {
    role,
    mustAllow: [
      { ...assume, principal: trust.service, context: sent, because: `${trust.service} runs with this role` },
    ],
    mustDeny: [
      ...(Object.keys(sent).length > 0
        ? [
            {
              ...assume,
              principal: trust.service,
              because: `${trust.service} without the confused-deputy context`,
            },
          ]
        : []),
      ...confusedDeputy,
      ...["ec2.amazonaws.com", "glue.amazonaws.com", FIREHOSE.service, LAMBDA.service, STEP_FUNCTIONS.service]
        .filter((service) => service !== trust.service)
        .map((service) => ({
          ...assume,
          principal: service,
          context: sent,
          because: `${service} is not trusted`,
        })),
    ],
  };
}
