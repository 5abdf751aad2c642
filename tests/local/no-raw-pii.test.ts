// The guide's first rule, end to end: "mask irreversibly in the transform; never store the original". Records
// carry PII under every spelling an attacker or a sloppy producer might use; afterwards every byte the local run
// wrote (data objects, error objects, its log files and its log lines) is searched for the raw values. Only the
// processing-failed prefix may hold them: Firehose writes a record the transform failed as it arrived, and that
// prefix is readable by the break-glass role alone.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { settingsOf } from "../support/stacks";
import { filesUnder, Running, runStack } from "./harness";

const RAW = {
  email: "alice.attacker@example.org",
  upper: "BOB.UPPER@EXAMPLE.ORG",
  nested: "carol.nested@example.org",
  dotted: "dave.dotted@example.org",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
};

/** Records with PII under odd key case, duplicated case variants, arrays, dotted keys and unlisted fields. */
function hostileRecords(): Buffer[] {
  const base = {
    event_id: "e-1",
    user_id: "u-1",
    country: "de",
    action: "buy",
    amount: 1,
    ts: "2026-12-03T10:00:00Z",
  };
  const records: Record<string, unknown>[] = [
    { ...base, Email: RAW.email },
    { ...base, email: "x", EMAIL: RAW.upper },
    { ...base, eMaIl: [RAW.email, { again: RAW.upper }] },
    { ...base, user: [{ email: RAW.nested }, [{ Email: RAW.nested }]] },
    { ...base, "User.Email": RAW.dotted },
    { ...base, note: `call me on ${RAW.phone}`, contact: { mobile: RAW.phone } },
    { ...base, payment: { details: [`card ${RAW.card}`] } },
    { ...base, [RAW.email]: "a key that is an address" },
  ];
  return records.map((r, i) => Buffer.from(`${JSON.stringify({ ...r, event_id: `e-${i}` })}\n`));
}

function textOf(file: string): string {
  const raw = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

/** Also the base64 forms, since error documents carry the record as `rawData`. */
function rawNeedles(): string[] {
  return Object.values(RAW).flatMap((v) => [
    v,
    v.toLowerCase(),
    Buffer.from(v).toString("base64").slice(0, 16),
  ]);
}

for (const stackName of ["dev", "prod"] as const) {
  describe(`local (${stackName}): no raw PII in anything the run wrote`, () => {
    let run: Running;
    const logged: string[] = [];

    before(async () => {
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        logged.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof process.stdout.write;
      try {
        run = await runStack(settingsOf(stackName));
        await run.put(hostileRecords());
        await run.stop();
      } finally {
        process.stdout.write = write;
      }
    });
    after(() => run.stop());

    it("delivers every record (nothing failed closed here) and the lake holds no raw value", () => {
      const lake = run.stack.store.lakeDir;
      const files = filesUnder(lake);
      const data = files.filter((f) => f.includes("/data/"));
      assert.ok(data.length > 0, `no data object in ${files.join(", ")}`);
      const leaks = files.flatMap((file) => {
        if (/(^|\/)processing-failed\//.test(file)) return [];
        const text = textOf(`${lake}/${file}`);
        return rawNeedles()
          .filter((needle) => text.includes(needle))
          .map((needle) => `${file}: ${needle}`);
      });
      assert.deepEqual(leaks, []);
    });

    it("logs no raw value", () => {
      const text = logged.join("");
      assert.deepEqual(
        rawNeedles().filter((needle) => text.includes(needle)),
        [],
      );
    });
  });
}
