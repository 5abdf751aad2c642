// The limits table (policy/rules/firehose-limits.ts) for the destinations whose buffers differ from the standard
// 1-128 MiB / 0-900 s with 5 MiB / 300 s defaults: Splunk's bounds and defaults, Snowflake's defaults. Read
// through the policies that use them: firehose-buffer-bounds (AWS's bounds) and firehose-buffer-organisation-bounds
// (which names the provider's default for an unset field).
import * as assert from "assert";
import { firehoseBufferBounds } from "../../policy/policies/firehose-buffer-bounds";
import { firehoseBufferOrganisationBounds } from "../../policy/policies/firehose-buffer-organisation-bounds";
import { streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const KEEP = "set it within that range to keep object sizes and delivery latency as agreed";

function splunkStream(buffer: { bufferingSize?: number; bufferingInterval?: number } = {}) {
  return {
    destination: "splunk",
    splunkConfiguration: {
      hecEndpoint: "https://splunk.example.com:8088",
      hecEndpointType: "Raw",
      hecToken: "token",
      ...buffer,
    },
  };
}

function snowflakeStream(buffer: { bufferingSize?: number; bufferingInterval?: number } = {}) {
  return {
    destination: "snowflake",
    snowflakeConfiguration: {
      accountUrl: "https://example.snowflakecomputing.com",
      database: "analytics",
      schema: "raw",
      table: "events",
      user: "firehose",
      ...buffer,
    },
  };
}

const awsBounds = (props: Record<string, unknown>) => streamViolations(firehoseBufferBounds, props);

const organisationBounds = (props: Record<string, unknown>, bounds: Record<string, unknown>) =>
  streamViolations(
    firehoseBufferOrganisationBounds,
    props,
    { "firehose-buffer-organisation-bounds": { bounds } },
    "advisory",
  );

describe("firehose-limits: Splunk", () => {
  it("accepts Splunk buffers up to 5 MiB and 60 s, and unset ones", async () => {
    assert.deepEqual(await awsBounds(splunkStream({ bufferingSize: 5, bufferingInterval: 60 })), []);
    assert.deepEqual(await awsBounds(splunkStream({ bufferingSize: 1, bufferingInterval: 0 })), []);
    assert.deepEqual(await awsBounds(splunkStream()), []);
  });

  it("refuses a Splunk buffer above 5 MiB or 60 s", async () => {
    assert.deepEqual(await awsBounds(splunkStream({ bufferingSize: 6, bufferingInterval: 61 })), [
      `${STREAM}splunkConfiguration.bufferingSize is 6 MiB; AWS accepts 1-5 MiB for splunk: set it within that range`,
      `${STREAM}splunkConfiguration.bufferingInterval is 61 s; AWS accepts 0-60 s for splunk: set it within that range`,
    ]);
  });

  it("counts an unset Splunk buffer as the provider's 5 MiB and 60 s", async () => {
    const bounds = { splunk: { maxSizeMiB: 4, maxIntervalSeconds: 30 } };
    assert.deepEqual(await organisationBounds(splunkStream(), bounds), [
      `${STREAM}splunkConfiguration.bufferingSize is 5 MiB (unset: the provider's default), outside the ` +
        `organisation's bounds for splunk (at most 4 MiB): ${KEEP}`,
      `${STREAM}splunkConfiguration.bufferingInterval is 60 s (unset: the provider's default), outside the ` +
        `organisation's bounds for splunk (at most 30 s): ${KEEP}`,
    ]);
  });
});

describe("firehose-limits: Snowflake", () => {
  it("holds a Snowflake buffer to the standard 1-128 MiB and 0-900 s", async () => {
    assert.deepEqual(await awsBounds(snowflakeStream({ bufferingSize: 128, bufferingInterval: 900 })), []);
    assert.deepEqual(await awsBounds(snowflakeStream({ bufferingSize: 129, bufferingInterval: 901 })), [
      `${STREAM}snowflakeConfiguration.bufferingSize is 129 MiB; AWS accepts 1-128 MiB for snowflake: set it ` +
        "within that range",
      `${STREAM}snowflakeConfiguration.bufferingInterval is 901 s; AWS accepts 0-900 s for snowflake: set it ` +
        "within that range",
    ]);
  });

  it("counts an unset Snowflake buffer as the provider's 1 MiB and 0 s", async () => {
    const bounds = { snowflake: { minSizeMiB: 2, minIntervalSeconds: 10 } };
    assert.deepEqual(await organisationBounds(snowflakeStream(), bounds), [
      `${STREAM}snowflakeConfiguration.bufferingSize is 1 MiB (unset: the provider's default), outside the ` +
        `organisation's bounds for snowflake (at least 2 MiB): ${KEEP}`,
      `${STREAM}snowflakeConfiguration.bufferingInterval is 0 s (unset: the provider's default), outside the ` +
        `organisation's bounds for snowflake (at least 10 s): ${KEEP}`,
    ]);
  });
});
