import { FirehoseTransformationEvent } from "aws-lambda";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createHandler } from "../../lambda/transform/handler";
import { handler as entryPoint } from "../../lambda/transform/index";
import { TransformEnvironment } from "../../lambda/transform/options";
import { BATCH_METRIC_DEFINITIONS, eventOf, hmacPseudonym, TEST_KEY, textOf } from "./helpers";

/** Every variable the transform reads: the entry point's test sets them all and restores them. */
const TRANSFORM_VARIABLES = [
  "AWS_LAMBDA_FUNCTION_NAME",
  "PII_HASH_KEY_SECRET_ARN",
  "PII_HASH_KEY",
  "PII_HASH_MODE",
  "PII_HASH_LENGTH",
  "PII_FIELDS",
  "PII_DETECT",
  "PII_DETECT_ACTION",
  "DROP_RULES",
  "FIELD_DEFAULTS",
  "PARTITION_FIELDS",
  "PARTITION_TIME",
] as const;

/** Runs `action` with the process environment's transform variables set to `env` only, and stdout captured. */
async function withProcessEnvAndStdout<T>(
  env: TransformEnvironment,
  action: () => Promise<T>,
): Promise<{ value: T; written: string[] }> {
  const saved = TRANSFORM_VARIABLES.map((name) => [name, process.env[name]] as const);
  const write = process.stdout.write;
  const written: string[] = [];
  for (const name of TRANSFORM_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await action(), written };
  } finally {
    process.stdout.write = write;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pii-key-AbCdEf";

function awsSampleEvent(): FirehoseTransformationEvent {
  const file = path.join(__dirname, "fixtures", "aws-lambda-dg-firehose-event.json");
  return JSON.parse(readFileSync(file, "utf8")) as FirehoseTransformationEvent;
}

function handlerWith(env: TransformEnvironment, readSecret?: (arn: string) => Promise<string | undefined>) {
  const lines: string[] = [];
  const handler = createHandler({ env, readSecret, writeLine: (line) => lines.push(line) });
  return { handler, lines };
}

describe("transform handler", () => {
  it("answers AWS's sample Firehose event (text, not JSON) with ProcessingFailed for each id, in order", async () => {
    const { handler, lines } = handlerWith({ PII_HASH_KEY: TEST_KEY });
    const result = await handler(awsSampleEvent());
    assert.deepEqual(result, {
      records: [
        { recordId: "record1", result: "ProcessingFailed" },
        { recordId: "record2", result: "ProcessingFailed" },
      ],
    });
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]).failureReasons, { invalid_json: 2 });
  });

  it("transforms AWS's sample event once its data is JSON, with the sample's arrival times for partitions", async () => {
    const event = awsSampleEvent();
    event.records[0].data = Buffer.from(
      '{"message":"Hello World","email":"jane@example.com","country":"se"}',
    ).toString("base64");
    event.records[1].data = Buffer.from('{"message":"Hello World","ts":"not a time"}').toString("base64");
    const { handler } = handlerWith({
      PII_HASH_KEY: TEST_KEY,
      PARTITION_FIELDS: "country",
      PARTITION_TIME: "hour",
    });
    const result = await handler(event);
    assert.deepEqual(
      result.records.map(({ recordId, result: status, metadata }) => ({ recordId, status, metadata })),
      [
        {
          recordId: "record1",
          status: "Ok",
          metadata: { partitionKeys: { country: "SE", year: "2017", month: "11", day: "15", hour: "18" } },
        },
        {
          recordId: "record2",
          status: "Ok",
          metadata: { partitionKeys: { country: "ZZ", year: "1974", month: "10", day: "15", hour: "13" } },
        },
      ],
    );
    assert.equal(
      textOf(result.records[0].data),
      `{"message":"Hello World","email":"${hmacPseudonym("email", "jane@example.com")}","country":"SE","ts":null,"event_version":1}`,
    );
  });

  it("writes one EMF log line per batch with counts and no record contents", async () => {
    const env = {
      PII_HASH_KEY: TEST_KEY,
      AWS_LAMBDA_FUNCTION_NAME: "firehose-etl-dev-transform",
      DROP_RULES: '[{"field":"action","equals":"healthcheck"}]',
    };
    const { handler, lines } = handlerWith(env);
    await handler(eventOf([{ email: "jane@example.com", action: "click" }, { action: "healthcheck" }, "[]"]));
    assert.equal(lines.length, 1);
    assert.ok(!lines[0].includes("jane"), "no PII in the log");
    assert.ok(!lines[0].includes("click"), "no record contents in the log");
    const line = JSON.parse(lines[0]);
    assert.equal(typeof line._aws.Timestamp, "number");
    assert.deepEqual(line._aws.CloudWatchMetrics, BATCH_METRIC_DEFINITIONS);
    const { _aws, durationMs, ResponseBytes, ...rest } = line;
    assert.ok(_aws && typeof durationMs === "number" && ResponseBytes > 0);
    assert.deepEqual(rest, {
      level: "INFO",
      message: "Firehose batch transformed",
      FunctionName: "firehose-etl-dev-transform",
      invocationId: "test-invocation",
      RecordsIn: 3,
      RecordsOk: 1,
      RecordsDropped: 1,
      RecordsProcessingFailed: 1,
      RecordsOverResponseLimit: 0,
      failureReasons: { not_an_object: 1 },
      timePartitionFromArrival: 0,
    });
  });

  it("logs the ids (only) of records failed by the response size limit", async () => {
    const { handler, lines } = handlerWith({ PII_FIELDS: "" });
    const pad = "z".repeat(900_000);
    const event = eventOf(Array.from({ length: 6 }, () => ({ pad })));
    const result = await handler(event);
    assert.deepEqual(
      result.records.map((entry) => entry.result),
      ["Ok", "Ok", "Ok", "Ok", "Ok", "ProcessingFailed"],
    );
    assert.equal(lines.length, 2);
    const warning = JSON.parse(lines[1]);
    assert.deepEqual(warning, {
      level: "WARN",
      message: "Records returned as ProcessingFailed to keep the response within Lambda's 6 MB limit",
      invocationId: "test-invocation",
      count: 1,
      firstRecordIds: ["record-5"],
    });
  });

  it("refuses to deliver anything when masking is on and no key is configured", async () => {
    const { handler, lines } = handlerWith({ PII_FIELDS: "email,user.email" });
    await assert.rejects(handler(eventOf([{ email: "jane@example.com" }])), {
      message:
        "PII masking is on (PII_FIELDS=email,user.email) but no key is set: set PII_HASH_KEY_SECRET_ARN (or PII_HASH_KEY for local runs); refusing to deliver records unmasked",
    });
    assert.deepEqual(lines, []);
  });

  it("needs no key when masking is off", async () => {
    const { handler } = handlerWith({ PII_FIELDS: "" });
    const result = await handler(eventOf([{ email: "public@example.com" }]));
    assert.equal(
      textOf(result.records[0].data),
      '{"email":"public@example.com","country":"ZZ","ts":null,"event_version":1}',
    );
  });

  it("needs a key for a detector that masks, and none for one that fails records", async () => {
    const masking = handlerWith({ PII_FIELDS: "", PII_DETECT: "email,card" });
    await assert.rejects(masking.handler(eventOf([{}])), {
      message:
        "PII masking is on (PII_DETECT=email,card with PII_DETECT_ACTION=mask) but no key is set: set PII_HASH_KEY_SECRET_ARN (or PII_HASH_KEY for local runs); refusing to deliver records unmasked",
    });
    const failing = handlerWith({ PII_FIELDS: "", PII_DETECT: "email", PII_DETECT_ACTION: "fail" });
    const result = await failing.handler(eventOf([{ note: "jane@example.com" }, { note: "hi" }]));
    assert.deepEqual(
      result.records.map((entry) => entry.result),
      ["ProcessingFailed", "Ok"],
    );
  });

  it("logs what each enabled detector found as EMF metrics, and the records it failed by reason", async () => {
    const env = { PII_HASH_KEY: TEST_KEY, PII_DETECT: "email,phone", PII_DETECT_ACTION: "fail" };
    const { handler, lines } = handlerWith(env);
    await handler(eventOf([{ note: "jane@example.com" }, { a: "+1 555 123 4567" }, { b: "jane@x.io" }, {}]));
    const line = JSON.parse(lines[0]);
    assert.ok(!lines[0].includes("jane"), "no PII in the log");
    assert.deepEqual(
      line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name),
      [
        "RecordsIn",
        "RecordsOk",
        "RecordsDropped",
        "RecordsProcessingFailed",
        "RecordsOverResponseLimit",
        "PiiDetectedEmail",
        "PiiDetectedPhone",
        "ResponseBytes",
      ],
    );
    assert.equal(line.PiiDetectedEmail, 2);
    assert.equal(line.PiiDetectedPhone, 1);
    assert.equal(line.PiiDetectedCard, undefined);
    assert.deepEqual(line.failureReasons, { pii_detected: 3 });
    assert.equal(line.RecordsOk, 1);
  });

  it("refuses a short HMAC key without echoing it", async () => {
    const { handler } = handlerWith({ PII_HASH_KEY: "short-key" });
    await assert.rejects(handler(eventOf([{}])), {
      message: "The PII hash key must be at least 16 bytes for hmac-sha256, got 9 bytes",
    });
  });

  it("fails the batch with the variable and value named when configuration is invalid", async () => {
    const { handler } = handlerWith({
      PII_HASH_KEY: TEST_KEY,
      DROP_RULES: '[{"field":"action","equals":["a"]}]',
    });
    await assert.rejects(handler(eventOf([{}])), {
      message: 'DROP_RULES[0].equals must be a string, number or boolean, got ["a"]',
    });
  });

  it("reads the key from Secrets Manager once per container, and retries after a failed read", async () => {
    const calls: string[] = [];
    let fail = true;
    const readSecret = async (arn: string): Promise<string | undefined> => {
      calls.push(arn);
      if (fail) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      return "secret-key-from-secrets-manager";
    };
    const { handler } = handlerWith(
      { PII_HASH_KEY_SECRET_ARN: SECRET_ARN, PII_HASH_KEY: "ignored-when-an-arn-is-set" },
      readSecret,
    );
    await assert.rejects(handler(eventOf([{}])), {
      message: `Cannot read the PII hash key from ${SECRET_ARN}: ThrottlingException: Rate exceeded`,
    });
    fail = false;
    const first = await handler(eventOf([{ email: "jane@example.com" }]));
    const second = await handler(eventOf([{ email: "jane@example.com" }]));
    assert.deepEqual(calls, [SECRET_ARN, SECRET_ARN]);
    const expected = hmacPseudonym("email", "jane@example.com", "secret-key-from-secrets-manager");
    assert.equal(JSON.parse(textOf(first.records[0].data)).email, expected);
    assert.equal(JSON.parse(textOf(second.records[0].data)).email, expected);
  });

  it("fails the batch when the secret has no SecretString", async () => {
    const { handler } = handlerWith({ PII_HASH_KEY_SECRET_ARN: SECRET_ARN }, async () => undefined);
    await assert.rejects(handler(eventOf([{}])), {
      message: `Cannot read the PII hash key from ${SECRET_ARN}: Error: the secret has no SecretString`,
    });
  });

  it("uses sha256-salt pseudonyms when configured", async () => {
    const { handler } = handlerWith({ PII_HASH_KEY: "pepper", PII_HASH_MODE: "sha256-salt" });
    const result = await handler(eventOf([{ email: "jane@example.com" }]));
    const { createHash } = await import("node:crypto");
    const hex = createHash("sha256").update("jane@example.compepper", "utf8").digest("hex").slice(0, 12);
    assert.equal(JSON.parse(textOf(result.records[0].data)).email, `email_hash_${hex}`);
  });

  it("rejects an event without a records array", async () => {
    const { handler } = handlerWith({ PII_HASH_KEY: TEST_KEY });
    await assert.rejects(handler({} as FirehoseTransformationEvent), {
      message: "The event must have a records array, got object",
    });
  });

  it("rejects a null, missing or non-object event, naming what it got", async () => {
    const { handler, lines } = handlerWith({ PII_HASH_KEY: TEST_KEY });
    for (const [event, got] of [
      [null, "null"],
      [undefined, "undefined"],
      ["records", "string"],
      [{ records: "not an array" }, "object"],
    ] as const) {
      await assert.rejects(handler(event as unknown as FirehoseTransformationEvent), {
        message: `The event must have a records array, got ${got}`,
      });
    }
    assert.deepEqual(lines, []);
  });

  it("names the function 'local' in the log line when AWS_LAMBDA_FUNCTION_NAME is not set", async () => {
    const { handler, lines } = handlerWith({ PII_HASH_KEY: TEST_KEY });
    await handler(eventOf([{}]));
    assert.equal(JSON.parse(lines[0]).FunctionName, "local");
  });

  it("leaves an invocationId that is not a string out of the log lines", async () => {
    const { handler, lines } = handlerWith({ PII_FIELDS: "" });
    const event = eventOf([{ pad: "z".repeat(900_000) }, {}, {}, {}, {}, {}, {}]);
    for (const record of event.records.slice(1)) record.data = event.records[0].data;
    const result = await handler({ ...event, invocationId: 42 as unknown as string });
    assert.equal(result.records[6].result, "ProcessingFailed");
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(!("invocationId" in JSON.parse(line)), line);
  });

  it("logs the batch's own processing time in milliseconds as durationMs", async () => {
    const { handler, lines } = handlerWith({ PII_HASH_KEY: TEST_KEY });
    const before = performance.now();
    await handler(eventOf([{ email: "jane@example.com" }, {}]));
    const elapsed = performance.now() - before;
    const { durationMs } = JSON.parse(lines[0]);
    assert.ok(durationMs >= 0 && durationMs <= elapsed + 0.001, `${durationMs} ms within ${elapsed} ms`);
  });

  it("the Lambda entry point is configured by the process environment and logs to stdout, one line each", async () => {
    const env = { PII_HASH_KEY: TEST_KEY, PII_FIELDS: "email", AWS_LAMBDA_FUNCTION_NAME: "entry-point" };
    const { value: result, written } = await withProcessEnvAndStdout(env, () =>
      entryPoint(eventOf([{ email: "jane@example.com", country: "fr" }])),
    );
    assert.equal(
      textOf(result.records[0].data),
      `{"email":"${hmacPseudonym("email", "jane@example.com")}","country":"FR","ts":null,"event_version":1}`,
    );
    assert.equal(written.length, 1);
    assert.ok(written[0].endsWith("}\n") && !written[0].slice(0, -1).includes("\n"), written[0]);
    const line = JSON.parse(written[0]);
    assert.equal(line.FunctionName, "entry-point");
    assert.equal(line.RecordsOk, 1);
  });
});
