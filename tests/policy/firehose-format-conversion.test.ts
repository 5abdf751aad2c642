import * as assert from "assert";
import { firehoseFormatConversion } from "../../policy/policies/firehose-format-conversion";
import { directPutS3Stream, partitionedParquetStream } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES } from "./helpers";

const STREAM = "FirehoseDeliveryStream 'events': ";
const PATH = "extendedS3Configuration.dataFormatConversionConfiguration";

function violationsOf(props: Record<string, unknown>, config = {}) {
  return messagesOf(evaluate(firehoseFormatConversion, resource(TYPES.stream, props, "events"), config));
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
});
