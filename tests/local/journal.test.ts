import { PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Journal } from "../../local/journal";
import { localFirehoseClient } from "../../local/producer";
import { tempDir } from "../support/temp-dir";
import { filesUnder, linesOf, serve } from "./harness";

const DEV = "firehose-etl-dev-events";
const BUCKET = "firehose-etl-dev-lake";

/** Puts events e<from>..e<to-1>; returns the event ids the endpoint acknowledged. */
async function putEvents(url: string, from: number, to: number): Promise<string[]> {
  const client = localFirehoseClient(url, "eu-west-1");
  const ids = Array.from({ length: to - from }, (_, i) => `e${from + i}`);
  const out = await client.send(
    new PutRecordBatchCommand({
      DeliveryStreamName: DEV,
      Records: ids.map((id) => ({
        Data: Buffer.from(`${JSON.stringify({ event_id: id, action: "click", amount: 1, country: "DE" })}\n`),
      })),
    }),
  );
  client.destroy();
  return ids.filter((_, i) => out.RequestResponses?.[i]?.RecordId !== undefined);
}

describe("local: the journal (acknowledged means durable)", () => {
  it("every record acknowledged before kill -9 is in the lake exactly once after the next start", async () => {
    const lakeDir = tempDir("journal-kill");
    const first = serve(lakeDir);
    const acked = [
      ...(await putEvents(await first.url, 0, 40)),
      ...(await putEvents(await first.url, 40, 60)),
    ];
    assert.equal(acked.length, 60);
    first.child.kill("SIGKILL");
    await first.exited;
    const dataFiles = () =>
      existsSync(path.join(lakeDir, BUCKET)) ? filesUnder(path.join(lakeDir, BUCKET)) : [];
    assert.deepEqual(dataFiles(), [], "the records were only buffered when the process died");

    const second = serve(lakeDir);
    await second.url;
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0, second.output());
    assert.match(second.output(), /replaying 60 records acknowledged before the last run stopped/);
    const delivered = dataFiles().flatMap((f) =>
      linesOf(path.join(lakeDir, BUCKET, f)).map((l) => (JSON.parse(l) as { event_id: string }).event_id),
    );
    assert.deepEqual(delivered.sort(), [...acked].sort());
    assert.deepEqual(
      readdirSync(path.join(lakeDir, ".journal", BUCKET, DEV)),
      [],
      "settled segments and the lock are removed",
    );
  });

  it("npm run serve exits 1 when it stops with records it could not deliver", async () => {
    const lakeDir = tempDir("journal-undelivered");
    writeFileSync(path.join(lakeDir, BUCKET), "a file where the bucket's folder should be");
    const served = serve(lakeDir);
    assert.deepEqual(await putEvents(await served.url, 0, 3), ["e0", "e1", "e2"]);
    served.child.kill("SIGTERM");
    assert.equal(await served.exited, 1, served.output());
    assert.match(served.output(), /3 ACKNOWLEDGED RECORDS WERE NOT DELIVERED: the journal .* keeps them/);
  });

  it("leaves out a last line cut short by a kill (it was never acknowledged)", () => {
    const lakeDir = tempDir("journal-torn");
    const dir = path.join(lakeDir, ".journal", "s");
    mkdirSync(dir, { recursive: true });
    const ok = Buffer.from("ok\n").toString("base64");
    writeFileSync(
      path.join(dir, "000000000003.journal"),
      `1700000000000 ${ok}\n1700000000001 ${ok.slice(0, 2)}`,
    );
    const { journal, replay } = Journal.open(lakeDir, dir);
    assert.deepEqual(replay, [
      { segment: 3, line: 0, arrivalMs: 1_700_000_000_000, data: { base64: ok, bytes: 3 } },
    ]);
    journal.release(3, 0, 1);
    assert.deepEqual(readdirSync(dir), ["lock"]);
  });

  it("replays only the records that had not settled, a split record until all its parts have", async () => {
    const lakeDir = tempDir("journal-settled");
    const dir = path.join(lakeDir, ".journal", "s");
    const record = (text: string) => ({ base64: Buffer.from(text).toString("base64"), bytes: text.length });
    const { journal } = Journal.open(lakeDir, dir);
    const { segment, firstLine, written } = journal.append(["a", "b", "c", "d", "e"].map(record), 1);
    await written;
    journal.release(segment, firstLine, 2); // a, b in the lake
    journal.release(segment, firstLine + 4, 1); // e in the lake
    journal.split(segment, firstLine + 2, 2); // c split in two parts, one of them in the lake
    journal.release(segment, firstLine + 2, 1);
    // The process dies here; the next run (the lock names this process: it may take over) replays c and d.
    const { replay } = Journal.open(lakeDir, dir);
    assert.deepEqual(
      replay.map((e) => Buffer.from(e.data.base64, "base64").toString()),
      ["c", "d"],
    );
  });

  it("refuses a journal that another running process holds", () => {
    const lakeDir = tempDir("journal-lock");
    const dir = path.join(lakeDir, ".journal", "s");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "lock"), String(process.ppid));
    assert.throws(() => Journal.open(lakeDir, dir), new RegExp(`in use by process ${process.ppid}`));
  });
});
