import * as assert from "node:assert/strict";
import { parseTransformOptions } from "../../lambda/transform/options";

describe("transform options", () => {
  it("defaults: mask email with hmac-sha256 over 32 hex chars, no rules, no defaults, no partition keys", () => {
    const options = parseTransformOptions({});
    assert.deepEqual(
      options.piiFields.map((field) => field.path),
      ["email"],
    );
    assert.equal(options.hashMode, "hmac-sha256");
    assert.equal(options.hashLength, 32);
    assert.deepEqual(options.hashKeySource, { kind: "none" });
    assert.deepEqual(options.dropRules, []);
    assert.deepEqual(options.fieldDefaults, []);
    assert.deepEqual(options.partition, { fields: [], time: "none" });
  });

  it("reads nested PII paths, trimmed, and an empty PII_FIELDS turns masking off", () => {
    const options = parseTransformOptions({ PII_FIELDS: " email , user.contact.email ,phone" });
    assert.deepEqual(
      options.piiFields.map((field) => [field.path, field.name, field.segments]),
      [
        ["email", "email", ["email"]],
        ["user.contact.email", "email", ["user", "contact", "email"]],
        ["phone", "phone", ["phone"]],
      ],
    );
    assert.deepEqual(parseTransformOptions({ PII_FIELDS: "" }).piiFields, []);
  });

  it("rejects PII paths that are empty, repeated or use __proto__", () => {
    assert.throws(() => parseTransformOptions({ PII_FIELDS: "user..email" }), {
      message: 'PII_FIELDS has an empty segment in field path "user..email"',
    });
    assert.throws(() => parseTransformOptions({ PII_FIELDS: "email,email" }), {
      message: 'PII_FIELDS lists "email" twice (paths match keys case-insensitively)',
    });
    assert.throws(() => parseTransformOptions({ PII_FIELDS: "user.email,USER.Email" }), {
      message: 'PII_FIELDS lists "USER.Email" twice (paths match keys case-insensitively)',
    });
    assert.throws(() => parseTransformOptions({ PII_FIELDS: "__proto__.email" }), {
      message: 'PII_FIELDS may not use "__proto__" as a field name, got "__proto__.email"',
    });
  });

  it("reads PII_DETECT and PII_DETECT_ACTION: off and mask by default", () => {
    assert.deepEqual(parseTransformOptions({}).piiDetect, { detectors: [], action: "mask" });
    assert.deepEqual(parseTransformOptions({ PII_DETECT: " ", PII_DETECT_ACTION: "" }).piiDetect, {
      detectors: [],
      action: "mask",
    });
    assert.deepEqual(
      parseTransformOptions({ PII_DETECT: "card, email,phone", PII_DETECT_ACTION: "fail" }).piiDetect,
      { detectors: ["card", "email", "phone"], action: "fail" },
    );
  });

  it("rejects unknown or repeated detectors and unknown actions, naming the variable and the value", () => {
    assert.throws(() => parseTransformOptions({ PII_DETECT: "email,emial" }), {
      message:
        'PII_DETECT entries must be distinct names from email, phone, card, got "emial" in "email,emial"',
    });
    assert.throws(() => parseTransformOptions({ PII_DETECT: "Email" }), {
      message: 'PII_DETECT entries must be distinct names from email, phone, card, got "Email" in "Email"',
    });
    assert.throws(() => parseTransformOptions({ PII_DETECT: "card,card" }), {
      message: 'PII_DETECT entries must be distinct names from email, phone, card, got "card" in "card,card"',
    });
    assert.throws(() => parseTransformOptions({ PII_DETECT_ACTION: "drop" }), {
      message: 'PII_DETECT_ACTION must be "mask" or "fail", got "drop"',
    });
  });

  it("validates PII_HASH_MODE and PII_HASH_LENGTH", () => {
    assert.equal(parseTransformOptions({ PII_HASH_LENGTH: "64" }).hashLength, 64);
    assert.equal(parseTransformOptions({ PII_HASH_LENGTH: "8" }).hashLength, 8);
    assert.throws(() => parseTransformOptions({ PII_HASH_MODE: "md5" }), {
      message: 'PII_HASH_MODE must be "hmac-sha256" or "sha256-salt", got "md5"',
    });
    for (const bad of ["6", "66", "31", "abc", "32.0", "-32"]) {
      assert.throws(() => parseTransformOptions({ PII_HASH_LENGTH: bad }), {
        message: `PII_HASH_LENGTH must be an even number of hex chars from 8 to 64, got "${bad}"`,
      });
    }
  });

  it("sha256-salt always keeps 12 hex chars; PII_HASH_LENGTH is still validated but not used", () => {
    assert.equal(parseTransformOptions({ PII_HASH_MODE: "sha256-salt" }).hashLength, 12);
    assert.equal(
      parseTransformOptions({ PII_HASH_MODE: "sha256-salt", PII_HASH_LENGTH: "32" }).hashLength,
      12,
    );
    assert.throws(() => parseTransformOptions({ PII_HASH_MODE: "sha256-salt", PII_HASH_LENGTH: "7" }), {
      message: 'PII_HASH_LENGTH must be an even number of hex chars from 8 to 64, got "7"',
    });
  });

  it("prefers the Secrets Manager ARN over PII_HASH_KEY and never keeps the key in the options", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pii-key-AbCdEf";
    assert.deepEqual(
      parseTransformOptions({ PII_HASH_KEY_SECRET_ARN: arn, PII_HASH_KEY: "x" }).hashKeySource,
      {
        kind: "secret",
        secretArn: arn,
      },
    );
    const fromEnvironment = parseTransformOptions({ PII_HASH_KEY: "a-very-secret-key-value" });
    assert.deepEqual(fromEnvironment.hashKeySource, { kind: "environment" });
    assert.ok(!JSON.stringify(fromEnvironment).includes("a-very-secret-key-value"));
    assert.throws(() => parseTransformOptions({ PII_HASH_KEY_SECRET_ARN: "pii-key" }), {
      message: 'PII_HASH_KEY_SECRET_ARN must be a Secrets Manager secret ARN, got "pii-key"',
    });
  });

  it("reads FIELD_DEFAULTS as a JSON object and rejects anything else", () => {
    assert.deepEqual(
      parseTransformOptions({ FIELD_DEFAULTS: '{"channel":"web","tags":[],"score":0}' }).fieldDefaults,
      [
        { field: "channel", value: "web" },
        { field: "tags", value: [] },
        { field: "score", value: 0 },
      ],
    );
    assert.throws(() => parseTransformOptions({ FIELD_DEFAULTS: '["channel"]' }), {
      message: 'FIELD_DEFAULTS must be a JSON object of field defaults, got "[\\"channel\\"]"',
    });
    assert.throws(() => parseTransformOptions({ FIELD_DEFAULTS: "{channel: web}" }), {
      message: 'FIELD_DEFAULTS must be a JSON object of field defaults, got "{channel: web}"',
    });
    assert.throws(() => parseTransformOptions({ FIELD_DEFAULTS: '{"__proto__":{"polluted":true}}' }), {
      message:
        'FIELD_DEFAULTS may not set the field "__proto__", got "{\\"__proto__\\":{\\"polluted\\":true}}"',
    });
  });

  it("refuses a FIELD_DEFAULTS key that an enabled detector would rename (a second pass would add it again)", () => {
    const env = { FIELD_DEFAULTS: '{"ops@example.com":1}' };
    assert.equal(parseTransformOptions(env).fieldDefaults.length, 1, "no detector, no rename");
    assert.throws(() => parseTransformOptions({ ...env, PII_DETECT: "phone,email" }), {
      message:
        'FIELD_DEFAULTS may not set a field the email detector (PII_DETECT) finds in a key, got "ops@example.com"',
    });
  });

  it("reads partition settings and rejects bad names, repeats and clashes with date keys", () => {
    assert.deepEqual(
      parseTransformOptions({ PARTITION_FIELDS: "country, action", PARTITION_TIME: "hour" }).partition,
      {
        fields: ["country", "action"],
        time: "hour",
      },
    );
    assert.deepEqual(parseTransformOptions({ PARTITION_TIME: "day" }).partition, { fields: [], time: "day" });
    assert.throws(() => parseTransformOptions({ PARTITION_TIME: "minute" }), {
      message: 'PARTITION_TIME must be empty, "day" or "hour", got "minute"',
    });
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: "user.country" }), {
      message:
        'PARTITION_FIELDS entries must be top-level field names of letters, digits and _, got "user.country" in "user.country"',
    });
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: "day", PARTITION_TIME: "day" }), {
      message: 'PARTITION_FIELDS has "day" twice or as a key PARTITION_TIME=day already sets, got "day"',
    });
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: "country,country" }), {
      message:
        'PARTITION_FIELDS has "country" twice or as a key PARTITION_TIME=none already sets, got "country,country"',
    });
  });
  it("treats an empty variable as unset: default hash mode, length, key source, field defaults and partition", () => {
    const options = parseTransformOptions({
      PII_HASH_MODE: "",
      PII_HASH_LENGTH: "",
      PII_HASH_KEY_SECRET_ARN: "",
      PII_HASH_KEY: "",
      FIELD_DEFAULTS: "  ",
      PARTITION_FIELDS: "",
      PARTITION_TIME: "",
    });
    assert.equal(options.hashMode, "hmac-sha256");
    assert.equal(options.hashLength, 32);
    assert.deepEqual(options.hashKeySource, { kind: "none" });
    assert.deepEqual(options.fieldDefaults, []);
    assert.deepEqual(options.partition, { fields: [], time: "none" });
    assert.deepEqual(
      parseTransformOptions({ PII_HASH_KEY_SECRET_ARN: "", PII_HASH_KEY: "k" }).hashKeySource,
      {
        kind: "environment",
      },
    );
  });

  it("accepts the explicit names of the defaults: hmac-sha256 and PARTITION_TIME=none", () => {
    assert.equal(parseTransformOptions({ PII_HASH_MODE: "hmac-sha256" }).hashMode, "hmac-sha256");
    assert.deepEqual(
      parseTransformOptions({ PARTITION_FIELDS: "country", PARTITION_TIME: "none" }).partition,
      {
        fields: ["country"],
        time: "none",
      },
    );
  });

  it("lets PARTITION_FIELDS use the date key names when PARTITION_TIME is off", () => {
    assert.deepEqual(parseTransformOptions({ PARTITION_FIELDS: "year,month,day,hour" }).partition, {
      fields: ["year", "month", "day", "hour"],
      time: "none",
    });
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: "hour", PARTITION_TIME: "hour" }), {
      message: 'PARTITION_FIELDS has "hour" twice or as a key PARTITION_TIME=hour already sets, got "hour"',
    });
  });

  it("rejects a FIELD_DEFAULTS key that is empty", () => {
    assert.throws(() => parseTransformOptions({ FIELD_DEFAULTS: '{"channel":"web","":1}' }), {
      message: 'FIELD_DEFAULTS may not set the field "", got "{\\"channel\\":\\"web\\",\\"\\":1}"',
    });
  });

  it("echoes a bad value whole up to 200 chars, and its first 200 chars and ... beyond", () => {
    const exactly200 = "m".repeat(200);
    assert.throws(() => parseTransformOptions({ PII_HASH_MODE: exactly200 }), {
      message: `PII_HASH_MODE must be "hmac-sha256" or "sha256-salt", got "${exactly200}"`,
    });
    assert.throws(() => parseTransformOptions({ PII_HASH_MODE: `${"m".repeat(200)}XYZ` }), {
      message: `PII_HASH_MODE must be "hmac-sha256" or "sha256-salt", got "${"m".repeat(200)}..."`,
    });
    const detectors = `email,${"x".repeat(250)}`;
    assert.throws(() => parseTransformOptions({ PII_DETECT: detectors }), {
      message: `PII_DETECT entries must be distinct names from email, phone, card, got "${"x".repeat(250)}" in "${detectors.slice(0, 200)}..."`,
    });
    const badName = `country,${"a".repeat(250)}.b`;
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: badName }), {
      message: `PARTITION_FIELDS entries must be top-level field names of letters, digits and _, got "${"a".repeat(250)}.b" in "${badName.slice(0, 200)}..."`,
    });
    const repeated = `${"c".repeat(210)},${"c".repeat(210)}`;
    assert.throws(() => parseTransformOptions({ PARTITION_FIELDS: repeated }), {
      message: `PARTITION_FIELDS has "${"c".repeat(210)}" twice or as a key PARTITION_TIME=none already sets, got "${"c".repeat(200)}..."`,
    });
  });
});
