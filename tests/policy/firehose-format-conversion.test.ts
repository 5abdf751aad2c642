import * as assert from "assert";
import { firehoseFormatConversion } from "../../policy/policies/firehose-format-conversion";
import { directPutS3Stream, partitionedParquetStream } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

const STREAM = "FirehoseDeliveryStream 'events': ";
const PATH = "extendedS3Configuration.dataFormatConversionConfiguration";

function violationsOf(props: Record<string, unknown>, config = {}) {
  return messagesOf(evaluate(firehoseFormatConversion, resource(TYPES.stream, props, "events"), config));
}

/** The advisory note of a check skipped at preview because `what` is unknown. */
function notesOf(props: Record<string, unknown>) {
  return messagesOf(evaluate(firehoseFormatConversion, resource(TYPES.stream, props, "events")), "advisory");
}

const note = (what: string) =>
  "can't run policy 'firehose-format-conversion' during preview: not checked until the values are known at " +
  `deployment: ${what}`;

function withConversion(patch: Record<string, unknown>) {
  return patched(partitionedParquetStream(), {
    extendedS3Configuration: { dataFormatConversionConfiguration: patch },
  });
}

describe("firehose-format-conversion", () => {
  it("passes a Parquet conversion and a stream without conversion", async () => {
    assert.deepEqual(await violationsOf(partitionedParquetStream()), []);
    assert.deepEqual(await violationsOf(directPutS3Stream()), []);
  });

  it("rejects Parquet with GZIP stream compression", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { compressionFormat: "GZIP" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.compressionFormat is "GZIP" with format conversion enabled; AWS requires ` +
        "UNCOMPRESSED: set it to UNCOMPRESSED and compress inside the format (parquetSerDe.compression or " +
        "orcSerDe.compression)",
    ]);
  });

  it("rejects two deserializers", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        dataFormatConversionConfiguration: {
          inputFormatConfiguration: { deserializer: { hiveJsonSerDe: {} } },
        },
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH}.inputFormatConfiguration.deserializer needs exactly one of openXJsonSerDe or ` +
        "hiveJsonSerDe, but openXJsonSerDe and hiveJsonSerDe are set: keep exactly one",
    ]);
  });

  it("rejects a missing serializer", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        dataFormatConversionConfiguration: {
          outputFormatConfiguration: { serializer: { parquetSerDe: undefined } },
        },
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH}.outputFormatConfiguration.serializer needs exactly one of parquetSerDe or orcSerDe, but ` +
        "none is set: keep exactly one",
    ]);
  });

  it("rejects a schema that does not name a Glue table", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        dataFormatConversionConfiguration: { schemaConfiguration: { tableName: undefined } },
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH}.schemaConfiguration is missing tableName: point it at the Glue table that describes the ` +
        "records (database, table, and a role Firehose can read it with)",
    ]);
  });

  it("rejects conversion on a stream whose destination is not extended_s3", async () => {
    const stream = patched(partitionedParquetStream(), { destination: "http_endpoint" });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH} is set but destination is "http_endpoint"; only extended_s3 converts formats`,
    ]);
  });

  it("rejects an output format the organisation does not allow", async () => {
    const config = { "firehose-format-conversion": { allowedOutputFormats: ["orc"] } };
    assert.deepEqual(await violationsOf(partitionedParquetStream(), config), [
      `${STREAM}${PATH}.outputFormatConfiguration.serializer.parquetSerDe writes parquet, which the organisation ` +
        "does not allow: use one of orc",
    ]);
  });

  it("ignores a conversion block that is disabled", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        compressionFormat: "GZIP",
        dataFormatConversionConfiguration: { enabled: false },
      },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("accepts an unset compressionFormat, which the provider sends as UNCOMPRESSED", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { compressionFormat: undefined },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("rejects conversion on a stream that names no destination", async () => {
    const stream = patched(partitionedParquetStream(), { destination: undefined });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH} is set but destination is ""; only extended_s3 converts formats`,
    ]);
  });

  it("names every field a schema configuration is missing", async () => {
    const stream = withConversion({ schemaConfiguration: { databaseName: undefined, roleArn: undefined } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH}.schemaConfiguration is missing databaseName, roleArn: point it at the Glue table that ` +
        "describes the records (database, table, and a role Firehose can read it with)",
    ]);
  });

  it("rejects a conversion without a deserializer", async () => {
    const stream = withConversion({ inputFormatConfiguration: undefined });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${PATH}.inputFormatConfiguration.deserializer needs exactly one of openXJsonSerDe or ` +
        "hiveJsonSerDe, but none is set: keep exactly one",
    ]);
  });

  it("does not count a SerDe set to null as chosen", async () => {
    const stream = withConversion({
      inputFormatConfiguration: { deserializer: { hiveJsonSerDe: null } },
      outputFormatConfiguration: { serializer: { orcSerDe: null } },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("accepts ORC by default, and checks it against the organisation's formats like Parquet", async () => {
    const orc = withConversion({
      outputFormatConfiguration: {
        serializer: { parquetSerDe: undefined, orcSerDe: { compression: "ZLIB" } },
      },
    });
    assert.deepEqual(await violationsOf(orc), []);
    assert.deepEqual(
      await violationsOf(orc, { "firehose-format-conversion": { allowedOutputFormats: ["orc"] } }),
      [],
    );
    assert.deepEqual(
      await violationsOf(orc, { "firehose-format-conversion": { allowedOutputFormats: ["parquet"] } }),
      [
        `${STREAM}${PATH}.outputFormatConfiguration.serializer.orcSerDe writes orc, which the organisation does ` +
          "not allow: use one of parquet",
      ],
    );
  });

  describe("notes, without a violation, what is unknown at preview", () => {
    it("the conversion block", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: { dataFormatConversionConfiguration: UNKNOWN },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [note(`${PATH} (format conversion settings)`)]);
    });

    it("whether conversion is enabled", async () => {
      const stream = patched(withConversion({ enabled: UNKNOWN }), {
        extendedS3Configuration: { compressionFormat: "GZIP" },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [note(`${PATH}.enabled (format conversion settings)`)]);
    });

    it("the destination", async () => {
      const stream = patched(partitionedParquetStream(), { destination: UNKNOWN });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [note("destination (format conversion only on extended_s3)")]);
    });

    it("the stream's compression", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: { compressionFormat: UNKNOWN },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [
        note(
          "extendedS3Configuration.compressionFormat (compressionFormat is UNCOMPRESSED with format conversion)",
        ),
      ]);
    });

    it("the schema configuration", async () => {
      const stream = withConversion({ schemaConfiguration: UNKNOWN });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [
        note(`${PATH}.schemaConfiguration (schemaConfiguration names a Glue table)`),
      ]);
    });

    it("the deserializer and the serializer", async () => {
      const stream = withConversion({
        inputFormatConfiguration: { deserializer: UNKNOWN },
        outputFormatConfiguration: { serializer: UNKNOWN },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await notesOf(stream), [
        note(
          `${PATH}.inputFormatConfiguration.deserializer (exactly one of openXJsonSerDe, hiveJsonSerDe); ` +
            `${PATH}.outputFormatConfiguration.serializer (exactly one of parquetSerDe, orcSerDe)`,
        ),
      ]);
    });
  });
});
