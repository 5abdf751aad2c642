// What makes a column PII, for the stack config's validation and the policy pack alike (the pack must stay
// self-contained for `pulumi policy publish`, so config imports this module, never the other way round).
// Column names and masked paths compare case-insensitively: Firehose's and Athena's OpenX JSON SerDe fill the
// column `email` from a key `Email`, so masking must treat them as one field.

/** Glue column parameter that records a column's PII decision: "true" (masked) or "false" (reviewed, not PII). */
export const PII_COLUMN_PARAMETER = "firehose-etl:pii";

/**
 * Delivery stream tag listing, space-separated, the Redshift columns explicitly marked `pii: false` (Redshift
 * columns reach the pack only as names, in `dataTableColumns`, with nowhere to carry a marker of their own).
 */
export const NOT_PII_COLUMNS_TAG = "firehose-etl:not-pii-columns";

/**
 * Column names that say PII, by what they hold. Each pattern matches whole `_`-separated words of the lower-cased
 * name (`contact_email`, `e_mail`, `billing_address`, `client_ip`), so `hotel` never matches `tel` and `zip` never
 * matches `ip`. Ambiguous words match only as the whole name (`name`, `mail`, `tel`): `event_name` is not PII.
 */
export const PII_NAME_PATTERNS: readonly { readonly holds: string; readonly pattern: RegExp }[] = [
  { holds: "an e-mail address", pattern: /(^|_)(email|e_mail|emailaddress)(_|$)|^mail$/ },
  { holds: "a phone number", pattern: /(^|_)(phone|telephone|msisdn|mobile_number|mobile_phone)(_|$)|^tel$/ },
  {
    holds: "a person's name",
    pattern:
      /(^|_)(first_name|firstname|last_name|lastname|full_name|fullname|surname|given_name|family_name|middle_name|maiden_name)(_|$)|^name$/,
  },
  {
    holds: "a postal or network address",
    pattern: /(^|_)(address|street|postcode|postal_code|zip_code)(_|$)/,
  },
  { holds: "an IP address", pattern: /(^|_)(ip|ipv4|ipv6)(_|$)/ },
  {
    holds: "a national or financial identifier",
    pattern: /(^|_)(ssn|passport|national_id|tax_id|iban|card_number|credit_card|cc_number)(_|$)/,
  },
  { holds: "a date of birth", pattern: /(^|_)(dob|date_of_birth|birth_date|birthdate|birthday)(_|$)/ },
];

/** What a column named `name` probably holds, when its name says PII; undefined otherwise. */
export function piiNameReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  return PII_NAME_PATTERNS.find((p) => p.pattern.test(lower))?.holds;
}

/** The top-level field a dotted path starts from (`user.email` -> `user`), lower-cased for comparison. */
export function topLevelField(path: string): string {
  return path.split(".")[0].toLowerCase();
}

/** Whether the masked paths mask the whole column `name` (a one-segment path equal to it, in any case). */
export function masksColumn(paths: readonly string[], name: string): boolean {
  const lower = name.toLowerCase();
  return paths.some((path) => path.toLowerCase() === lower);
}

/** The paths without case-insensitive repeats, first spelling kept, in order. */
export function uniquePaths(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    const key = path.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
