// Redshift admin passwords: a plaintext `masterPassword`/`adminUserPassword` lands in the stack's config and
// state; `manageMasterPassword`/`manageAdminPassword` let Redshift keep it in Secrets Manager instead.
import { stringAt } from "../lib/fields";
import { Finding, violation } from "../lib/findings";
import { InputObject } from "../lib/unknown-values";

export interface RedshiftCredentialsConfig {
  /** Accept the write-only password inputs (`...Wo`), which stay out of state but still pass through config. */
  readonly allowWriteOnlyPasswords: boolean;
}

interface PasswordFields {
  readonly password: string;
  readonly writeOnly: string;
  readonly managed: string;
}

const CLUSTER: PasswordFields = {
  password: "masterPassword",
  writeOnly: "masterPasswordWo",
  managed: "manageMasterPassword",
};
const NAMESPACE: PasswordFields = {
  password: "adminUserPassword",
  writeOnly: "adminUserPasswordWo",
  managed: "manageAdminPassword",
};

export function checkClusterCredentials(inputs: InputObject, config: RedshiftCredentialsConfig): Finding[] {
  return checkPasswords(inputs, CLUSTER, config);
}

export function checkNamespaceCredentials(inputs: InputObject, config: RedshiftCredentialsConfig): Finding[] {
  return checkPasswords(inputs, NAMESPACE, config);
}

function checkPasswords(
  inputs: InputObject,
  fields: PasswordFields,
  config: RedshiftCredentialsConfig,
): Finding[] {
  // An unknown password is still a plaintext password; the value itself is never echoed.
  const findings: Finding[] = [];
  if (stringAt(inputs, fields.password) !== undefined) {
    findings.push(
      violation(
        `${fields.password} is set, so the password sits in the stack's config and state: remove it and set ` +
          `${fields.managed}: true (Redshift keeps the password in Secrets Manager)`,
      ),
    );
  }
  if (!config.allowWriteOnlyPasswords && stringAt(inputs, fields.writeOnly) !== undefined) {
    findings.push(
      violation(
        `${fields.writeOnly} is set, which the organisation does not allow: remove it and set ` +
          `${fields.managed}: true`,
      ),
    );
  }
  return findings;
}
