// Meters of the stack as a whole, not of one pipeline: the KMS key, alarms, dashboard, secrets and Athena's scans.
// Sources: the KMS, CloudWatch, Secrets Manager and Athena pricing pages.
import { DeclaredResources } from "../declared";
import { Meter, priced } from "../meter";
import { PriceTable } from "../price-table";

export function stackMeters(table: PriceTable, declared: DeclaredResources, athenaTb: number): Meter[] {
  return [
    priced(table, "kms-key-months", "kms-key-months", declared.kmsKeys),
    priced(table, "cloudwatch-alarms", "cloudwatch-alarms", declared.alarms),
    priced(table, "cloudwatch-dashboards", "cloudwatch-dashboards", declared.dashboards),
    priced(table, "secrets-manager-secrets", "secrets-manager-secrets", declared.secrets),
    priced(table, "athena-tb-scanned", "athena-tb-scanned", athenaTb),
  ].filter((m) => m.quantity > 0 || m.meter === "athena-tb-scanned");
}
