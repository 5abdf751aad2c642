// Replay into a Kinesis-sourced stack, end to end on the local run: two delivery streams read one source, a bad
// release fails every record in both, and replaying one pipeline's failures through the source delivers each of
// them once to that pipeline and nothing to the other (its transform drops the envelopes); a second replay sends
// nothing.
import * as assert from "node:assert/strict";
import { sourceStreamNameOf, namePrefixOf, streamNameOf } from "../../config/naming";
import { StackSettings } from "../../config/settings";
import { LakeStore } from "../../local/lake-store";
import { localBucketName } from "../../local/local-stack";
import { localKinesisClient } from "../../local/producer";
import { LocalLake } from "../../replay/lake";
import { ReplayScope, select, send } from "../../replay/replay";
import { kinesisSink } from "../../replay/sender";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { runStack } from "../local/harness";

const RECORDS = 20;

/** Prod (Kinesis source, an S3 pipeline `lake`) plus an append-only Iceberg pipeline `ice` reading the same source. */
function twoPipelines(): StackSettings {
  return settingsOf("prod", (raw) => {
    (raw.pipelines as unknown[]).push({
      name: "ice",
      destination: {
        type: "iceberg",
        tables: [{ name: "ice_events" }],
        buffer: { sizeMiB: 64, intervalSeconds: 300 },
      },
    });
  });
}

const event = (i: number) =>
  Buffer.from(`${JSON.stringify({ event_id: `e-${i}`, action: "click", amount: 1, country: "DE" })}\n`);

describe("replay into a Kinesis-sourced stack (local run)", function () {
  this.timeout(120_000);

  it("delivers one pipeline's failures once to it and nothing to the other stream reading the source", async () => {
    const settings = twoPipelines();
    const lakeDir = tempDir("replay-kinesis");
    const bad = await runStack(settings, { lakeDir, piiHashKey: "short" });
    assert.deepEqual(bad.stack.names().sort(), ["firehose-etl-prod-ice", "firehose-etl-prod-lake"]);
    await bad.put(Array.from({ length: RECORDS }, (_, i) => event(i)));
    await bad.stop();
    assert.deepEqual(
      bad.stack.streams.map((s) => [s.name, s.counts().failed]),
      bad.stack.streams.map((s) => [s.name, RECORDS]),
      "the bad release failed every record in both streams",
    );

    const scope: ReplayScope = {
      settings,
      lake: new LocalLake(new LakeStore(lakeDir, localBucketName(settings))),
      pipelines: ["lake"],
      errorTypes: [],
      window: {},
    };
    const fixed = await runStack(settings, { lakeDir });
    const kinesis = localKinesisClient(fixed.endpoint.url, settings.region);
    const source = sourceStreamNameOf(namePrefixOf(settings));
    const replay = async () =>
      send(scope, await select(scope), {
        sinkFor: (pipeline) => kinesisSink(kinesis, source, streamNameOf(settings, pipeline.name)),
        log: () => undefined,
      });
    const summary = await replay();
    assert.deepEqual(summary, {
      selected: RECORDS,
      sent: RECORDS,
      skipped: 0,
      failed: 0,
      resentAfterCrash: 0,
    });
    assert.equal((await replay()).sent, 0, "a second replay sends nothing");
    kinesis.destroy();
    await fixed.stop();

    const counts = Object.fromEntries(
      fixed.stack.streams.map((s) => [s.name, [s.counts().delivered, s.counts().dropped, s.counts().failed]]),
    );
    assert.deepEqual(counts, {
      "firehose-etl-prod-lake": [RECORDS, 0, 0],
      "firehose-etl-prod-ice": [0, RECORDS, 0],
    });
  });
});
