// Redshift Serverless namespaces under redshift-managed-credentials: the write-only admin password, which the
// organisation may forbid, next to the plaintext one.
import * as assert from "node:assert/strict";
import { redshiftManagedCredentials } from "../../policy/policies/redshift-managed-credentials";
import { redshiftNamespace } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES } from "./helpers";

const FORBID_WRITE_ONLY = { "redshift-managed-credentials": { allowWriteOnlyPasswords: false } };

function violationsOf(props: Record<string, unknown>, config = {}): Promise<string[]> {
  return messagesOf(
    evaluate(redshiftManagedCredentials, resource(TYPES.namespace, props, "warehouse"), config),
  );
}

describe("redshift-managed-credentials: namespaces", () => {
  const writeOnly = patched(redshiftNamespace(), {
    manageAdminPassword: undefined,
    adminUserPasswordWo: "pw",
  });

  it("accepts adminUserPasswordWo by default", async () => {
    assert.deepEqual(await violationsOf(writeOnly), []);
  });

  it("rejects adminUserPasswordWo when config forbids write-only passwords", async () => {
    assert.deepEqual(await violationsOf(writeOnly, FORBID_WRITE_ONLY), [
      "Namespace 'warehouse': adminUserPasswordWo is set, which the organisation does not allow: remove it and " +
        "set manageAdminPassword: true",
    ]);
  });

  it("reports a plaintext and a write-only admin password each", async () => {
    const both = patched(writeOnly, { adminUserPassword: "pw" });
    assert.deepEqual(await violationsOf(both, FORBID_WRITE_ONLY), [
      "Namespace 'warehouse': adminUserPassword is set, so the password sits in the stack's config and state: " +
        "remove it and set manageAdminPassword: true (Redshift keeps the password in Secrets Manager)",
      "Namespace 'warehouse': adminUserPasswordWo is set, which the organisation does not allow: remove it and " +
        "set manageAdminPassword: true",
    ]);
  });
});
