// IAM resource policies (an OpenSearch domain's access policy): find statements that allow anyone, i.e.
// `"Effect": "Allow"` with `"Principal": "*"` or `{"AWS": "*"}` and no `Condition` narrowing it.

export type OpenStatementsResult =
  { readonly ok: true; readonly open: readonly string[] } | { readonly ok: false; readonly error: string };

/** The open statements of a policy document (a JSON string or an object), named by Sid or position. */
export function openStatements(document: unknown): OpenStatementsResult {
  let policy: unknown = document;
  if (typeof document === "string") {
    try {
      policy = JSON.parse(document);
    } catch (error) {
      return { ok: false, error: `is not valid JSON (${(error as Error).message})` };
    }
  }
  if (typeof policy !== "object" || policy === null) {
    return { ok: false, error: "is not a policy document object" };
  }
  const statement = (policy as { Statement?: unknown }).Statement;
  // A missing Statement becomes [undefined], which, like any item that is not an object, allows no one.
  const statements: unknown[] = Array.isArray(statement) ? statement : [statement];
  const open = statements.flatMap((item: unknown, index) => {
    if (typeof item !== "object" || item === null) {
      return [];
    }
    const { Sid, Effect, Principal, Condition } = item as Record<string, unknown>;
    const conditioned =
      typeof Condition === "object" && Condition !== null && Object.keys(Condition).length > 0;
    if (Effect !== "Allow" || !isAnyone(Principal) || conditioned) {
      return [];
    }
    return [typeof Sid === "string" && Sid !== "" ? `"${Sid}"` : `#${index + 1}`];
  });
  return { ok: true, open };
}

function isAnyone(principal: unknown): boolean {
  if (principal === "*") {
    return true;
  }
  if (typeof principal !== "object" || principal === null) {
    return false;
  }
  const aws = (principal as { AWS?: unknown }).AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}
