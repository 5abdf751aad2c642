import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { putAll } from "../../local/producer";
import { localFirehoseClient } from "../../local/producer";
import { sampleEvents } from "../../local/sample-workload";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { filesUnder, linesOf, runStack, serve } from "./harness";

const DEV = "firehose-etl-dev-events";

/** Waits until `done()` holds (the stream works on timers); fails after a generous bound. */
async function eventually(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 20_000) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const country = (c: string) =>
  Buffer.from(`${JSON.stringify({ event_id: "e", action: "click", amount: 1, country: c })}\n`);

describe("local: buffering and flushing", () => {
  it("holds records in one buffer per partition until shutdown, then flushes every one", async () => {
    const run = await runStack(settingsOf("prod"));
    const records = ["DE", "FR", "GB", "NL", "ES"].flatMap((c) => [country(c), country(c)]);
    await run.put(records);
    assert.equal(existsSync(path.join(run.stack.store.bucketDir, "data")), false);
    assert.equal(run.stack.streams[0].counts().buffered, records.length);
    await run.stop();
    const data = run.stack.streams[0].written.filter((o) => o.kind === "data");
    assert.deepEqual(data.map((o) => [o.key.split("/")[1], o.records]).sort(), [
      ["country=DE", 2],
      ["country=ES", 2],
      ["country=FR", 2],
      ["country=GB", 2],
      ["country=NL", 2],
    ]);
    assert.equal(run.stack.streams[0].counts().buffered, 0);
  });

  it("delivers a buffer when its interval has passed (time-scale shrinks the stack's 60 s)", async () => {
    const run = await runStack(settingsOf("dev"), { timeScale: 0.001 });
    try {
      await putAll(run.client, DEV, [country("DE"), country("FR")]);
      await eventually(() => run.stack.streams[0].counts().delivered === 2);
      const [object] = run.stack.streams[0].written;
      assert.equal(linesOf(run.stack.store.pathOf(object.key)).length, 2);
    } finally {
      await run.stop();
    }
  });

  it("delivers a buffer when it reaches the size hint, before its interval", async () => {
    const settings = settingsOf("dev", (raw) => {
      (raw.pipelines as { destination: { buffer: unknown } }[])[0].destination.buffer = {
        sizeMiB: 1,
        intervalSeconds: 900,
      };
      (raw.transform as Record<string, unknown>).processorBuffer = { sizeMiB: 0.2, intervalSeconds: 900 };
    });
    const run = await runStack(settings);
    try {
      const events = sampleEvents(6000, 3).filter((r) => r.kind === "event");
      await putAll(
        run.client,
        DEV,
        events.map((r) => r.data),
      );
      await eventually(() => run.stack.streams[0].written.length > 0);
      const [first] = run.stack.streams[0].written;
      const bytes = linesOf(run.stack.store.pathOf(first.key)).reduce((n, line) => n + line.length + 1, 0);
      assert.ok(bytes >= 1024 * 1024, `first object holds ${bytes} bytes`);
      assert.ok(run.stack.streams[0].counts().buffered > 0);
    } finally {
      await run.stop();
    }
    const counts = run.stack.streams[0].counts();
    assert.equal(counts.delivered, counts.received);
  });

  it("npm run serve flushes every buffer on SIGTERM and exits 0", async () => {
    const lakeDir = tempDir("local-serve");
    const { child, url: listening, exited, output: outputOf } = serve(lakeDir);
    const url = await listening;
    const client = localFirehoseClient(url, "eu-west-1");
    await putAll(client, DEV, [country("DE"), country("FR"), Buffer.from("not json")]);
    client.destroy();
    assert.deepEqual(
      filesUnder(lakeDir).filter((f) => !f.startsWith(".")),
      [],
    );
    child.kill("SIGTERM");
    assert.equal(await exited, 0, outputOf());
    const output = outputOf();
    const files = filesUnder(path.join(lakeDir, "firehose-etl-dev-lake"));
    assert.equal(files.length, 2, output);
    const lines = files.map((f) => linesOf(path.join(lakeDir, "firehose-etl-dev-lake", f)).length).sort();
    assert.deepEqual(lines, [1, 2]);
    assert.match(output, /records in 3, delivered 2, failed 1, dropped 0, buffered 0/);
  });
});

describe("local: buffers by partition, edge cases", () => {
  const prodWith = (edit: (destination: Record<string, unknown>) => void) =>
    settingsOf("prod", (raw) => {
      const [lake] = raw.pipelines as { destination: Record<string, unknown> }[];
      edit(lake.destination);
    });

  it("keeps key values apart that would concatenate alike (AB + C and A + BC): one object each", async () => {
    const settings = prodWith((destination) => {
      const partitioning = destination.partitioning as { fields: unknown[] };
      partitioning.fields = [
        { name: "country", values: ["A", "AB"] },
        { name: "tier", values: ["C", "BC"] },
      ];
    });
    const run = await runStack(settings);
    const record = (c: string, tier: string) =>
      Buffer.from(`${JSON.stringify({ event_id: "e", action: "click", amount: 1, country: c, tier })}\n`);
    await run.put([record("AB", "C"), record("A", "BC")]);
    await run.stop();
    const data = run.stack.streams[0].written.filter((o) => o.kind === "data");
    assert.deepEqual(data.map((o) => [o.key.split("/").slice(1, 3).join("/"), o.records]).sort(), [
      ["country=A/tier=BC", 1],
      ["country=AB/tier=C", 1],
    ]);
  });

  it("delivers at the interval while records keep arriving: a steady trickle does not hold a buffer open", async () => {
    // 60 s scaled to 0.3 s; a record every 20 ms keeps the buffer busy throughout.
    const run = await runStack(settingsOf("dev"), { timeScale: 0.005 });
    try {
      let sent = 0;
      await eventually(() => {
        void putAll(run.client, DEV, [country("DE")]);
        sent++;
        return run.stack.streams[0].counts().delivered > 0;
      });
      assert.ok(sent > 1, "records kept arriving while the buffer was open");
    } finally {
      await run.stop();
    }
  });

  it("writes no data object when every row of a Parquet buffer fails conversion: each goes to the error prefix", async () => {
    const run = await runStack(settingsOf("prod"));
    const bad = (i: number) =>
      Buffer.from(
        `${JSON.stringify({ event_id: `e${i}`, action: "click", amount: "n/a", country: "DE" })}\n`,
      );
    await run.put([bad(1), bad(2), bad(3)]);
    await run.stop();
    const [stream] = run.stack.streams;
    assert.deepEqual(
      stream.written.filter((o) => o.kind === "data"),
      [],
    );
    const failed = stream.written
      .filter((o) => o.kind === "error")
      .flatMap((o) => linesOf(run.stack.store.pathOf(o.key)))
      .map((l) =>
        JSON.parse(Buffer.from((JSON.parse(l) as { rawData: string }).rawData, "base64").toString()),
      )
      .map((r: { event_id: string }) => r.event_id)
      .sort();
    assert.deepEqual(failed, ["e1", "e2", "e3"]);
    assert.deepEqual([stream.counts().delivered, stream.counts().failed], [0, 3]);
  });
});
