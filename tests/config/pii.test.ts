// PII is part of the table definition: what config validation refuses, and the PII_FIELDS / PII_DETECT the
// transform gets from it.
import { strict as assert } from "assert";
import { transformEnvironment } from "../../config/transform-environment";
import { RawConfig, problemsOf, rawConfigOf, settingsOf } from "../support/stacks";

type Column = { name: string; type: string; pii?: boolean };
const transform = (raw: RawConfig) => raw.transform as RawConfig;
const tableColumns = (raw: RawConfig) => (raw.table as { columns: Column[] }).columns;
const redshiftColumns = (raw: RawConfig) =>
  (raw.pipelines as { destination: { type: string; columns: Column[] } }[]).find(
    (p) => p.destination.type === "redshift",
  )!.destination.columns;
const column = (raw: RawConfig, name: string) => tableColumns(raw).find((c) => c.name === name)!;

function assertRefused(stack: "dev" | "prod", edit: (raw: RawConfig) => void, message: string): void {
  const raw = rawConfigOf(stack);
  edit(raw);
  const problems = problemsOf(raw);
  assert.deepEqual(problems, [message]);
}

function environmentOf(stack: "dev" | "prod", edit: (raw: RawConfig) => void): Record<string, string> {
  const settings = settingsOf(stack, edit);
  return transformEnvironment(settings.transform, undefined);
}

describe("stack config: PII is part of the table definition", () => {
  describe("refuses", () => {
    it("a piiFields entry that names no declared field (the typo 'emial')", () => {
      assertRefused(
        "dev",
        (raw) => (transform(raw).piiFields = ["emial"]),
        "firehose-etl:transform.piiFields[0]: 'emial' masks nothing the stack declares: 'emial' is not a table " +
          "or Redshift column or a partition field (event_id, user_id, email, country, action, amount, ts, " +
          'event_version, source); fix the spelling, or declare the column and mark it pii: true, got "emial"',
      );
    });

    it("a nested path whose first segment is not declared", () => {
      assertRefused(
        "dev",
        (raw) => (transform(raw).piiFields = ["user.email"]),
        "firehose-etl:transform.piiFields[0]: 'user.email' masks nothing the stack declares: 'user' is not a " +
          "table or Redshift column or a partition field (event_id, user_id, email, country, action, amount, ts, " +
          'event_version, source); fix the spelling, or declare the column and mark it pii: true, got "user.email"',
      );
    });

    it("a column whose name says e-mail, neither marked nor listed", () => {
      assertRefused(
        "dev",
        (raw) => delete column(raw, "email").pii,
        "firehose-etl:table.columns[2].name: 'email' looks like an e-mail address and is not masked: mark the " +
          "column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data, " +
          'got "email"',
      );
    });

    it("a new phone column, and says so for the column it is", () => {
      assertRefused(
        "dev",
        (raw) => tableColumns(raw).push({ name: "mobile_phone", type: "string" }),
        "firehose-etl:table.columns[9].name: 'mobile_phone' looks like a phone number and is not masked: mark " +
          "the column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data, " +
          'got "mobile_phone"',
      );
    });

    it("a Redshift column whose name says PII", () => {
      assertRefused(
        "prod",
        (raw) => redshiftColumns(raw).push({ name: "last_name", type: "VARCHAR(64)" }),
        "firehose-etl:pipelines[2].destination.columns[8].name: 'last_name' looks like a person's name and is " +
          "not masked: mark the column pii: true (or list it in transform.piiFields), or pii: false if it holds " +
          'no personal data, got "last_name"',
      );
    });

    it("pii: false on a column that is masked anyway", () => {
      assertRefused(
        "prod",
        (raw) => (redshiftColumns(raw).find((c) => c.name === "email")!.pii = false),
        "firehose-etl:pipelines[2].destination.columns[2].name: 'email' is marked pii: false but is masked " +
          "anyway (transform.piiFields or a column of that name marked pii: true): remove one of the two, " +
          'got "email"',
      );
    });

    it("a fieldDefaults key the tables lack, naming their columns", () => {
      assertRefused(
        "dev",
        (raw) => (transform(raw).fieldDefaults = { channel: "web" }),
        "firehose-etl:transform.fieldDefaults.channel: 'channel' is not a column of table 'events' or a " +
          "Redshift table (event_id, user_id, email, country, action, amount, ts, event_version, source), so the " +
          'default never reaches a query: add the column, or remove the default, got "web"',
      );
    });

    it("a repeated or unknown detector", () => {
      const raw = rawConfigOf("dev");
      transform(raw).piiDetect = { detectors: ["email", "email"], action: "mask" };
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:transform.piiDetect.detectors: must not repeat a detector, got ["email","email"]',
      ]);
      transform(raw).piiDetect = { detectors: ["iban"], action: "drop" };
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:transform.piiDetect.detectors[0]: Invalid option: expected one of "email"|"phone"|"card", got "iban"',
        'firehose-etl:transform.piiDetect.action: Invalid option: expected one of "mask"|"fail", got "drop"',
      ]);
    });

    it("an error retention shorter than a long weekend or longer than a quarter", () => {
      for (const [days, bound] of [
        [2, "Too small: expected number to be >=3"],
        [91, "Too big: expected number to be <=90"],
      ] as const) {
        const raw = rawConfigOf("dev");
        (raw.lake as RawConfig).errorRetentionDays = days;
        assert.deepEqual(problemsOf(raw), [`firehose-etl:lake.errorRetentionDays: ${bound}, got ${days}`]);
      }
    });
  });

  describe("accepts", () => {
    it("a nested path into a declared column, in any case", () => {
      const env = environmentOf("dev", (raw) => {
        tableColumns(raw).push({ name: "user", type: "struct<email:string>" });
        transform(raw).piiFields = ["User.Email"];
      });
      assert.equal(env.PII_FIELDS, "User.Email,email");
    });

    it("a path that names only a Redshift column, or a partition field", () => {
      const env = environmentOf("prod", (raw) => (transform(raw).piiFields = ["country"]));
      assert.equal(env.PII_FIELDS, "country,email");
    });

    it("a PII-looking column listed in piiFields instead of marked, or opted out with pii: false", () => {
      assert.equal(
        environmentOf("dev", (raw) => {
          delete column(raw, "email").pii;
          transform(raw).piiFields = ["EMAIL"];
        }).PII_FIELDS,
        "EMAIL",
      );
      assert.equal(
        environmentOf("dev", (raw) => tableColumns(raw).push({ name: "name", type: "string", pii: false }))
          .PII_FIELDS,
        "email",
      );
    });

    it("a fieldDefaults key that is a Redshift column only", () => {
      const env = environmentOf("prod", (raw) => (transform(raw).fieldDefaults = { country: "ZZ" }));
      assert.equal(env.FIELD_DEFAULTS, '{"country":"ZZ"}');
    });
  });

  describe("the transform's environment", () => {
    it("masks piiFields and the marked columns of both tables, each once whatever its case", () => {
      const env = environmentOf("prod", (raw) => {
        transform(raw).piiFields = ["Email", "user_id"];
        redshiftColumns(raw).push({ name: "phone", type: "VARCHAR(32)", pii: true });
        tableColumns(raw).push({ name: "phone", type: "string", pii: true });
      });
      assert.equal(env.PII_FIELDS, "Email,user_id,phone");
    });

    it("sets PII_DETECT and PII_DETECT_ACTION from piiDetect, with its defaults", () => {
      const env = environmentOf("dev", (raw) => (transform(raw).piiDetect = { action: "fail" }));
      assert.equal(env.PII_DETECT, "email,phone,card");
      assert.equal(env.PII_DETECT_ACTION, "fail");
    });

    it("leaves both out when detection is off", () => {
      const env = environmentOf("dev", (raw) => delete transform(raw).piiDetect);
      assert.equal("PII_DETECT" in env, false);
      assert.equal("PII_DETECT_ACTION" in env, false);
    });
  });
});
