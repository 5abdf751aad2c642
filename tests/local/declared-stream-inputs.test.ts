// Each input of a declared delivery stream that the local run reads changes the local stream when it changes, and
// an input the local run cannot imitate is refused with a message naming it.
import * as assert from "node:assert/strict";
import { DECLARED_TYPES, DeclaredStack, declareStack } from "../../local/declared-stack";
import { declaredStreams, DeclaredStream, LOCAL_PROCESSOR_ORDER } from "../../local/declared-stream";
import { settingsOf } from "../support/stacks";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A copy of the declared stack with `edit` applied to the inputs of each resource of `type`. */
function edited(stack: DeclaredStack, type: string, edit: (inputs: Inputs) => void): DeclaredStack {
  const resources = stack.resources.map((r) => {
    if (r.type !== type) return r;
    const inputs = structuredClone(r.inputs) as Inputs;
    edit(inputs);
    return { ...r, inputs };
  });
  return { settings: stack.settings, resources };
}

/** The first local stream of the stack after `edit` changed the declared streams' inputs. */
function streamAfter(stack: DeclaredStack, edit: (inputs: Inputs) => void): DeclaredStream {
  return declaredStreams(edited(stack, DECLARED_TYPES.stream, edit)).streams[0];
}

function processor(type: string, parameters: Record<string, string>) {
  return {
    type,
    parameters: Object.entries(parameters).map(([parameterName, parameterValue]) => ({
      parameterName,
      parameterValue,
    })),
  };
}

const DEV_PREFIX = "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
const DEV_ERRORS =
  "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";

describe("local: declared streams are read into local streams", function () {
  this.timeout(60_000);
  let dev: DeclaredStack;
  let prod: DeclaredStack;
  let iceberg: DeclaredStack;
  before(async () => {
    dev = await declareStack(settingsOf("dev"));
    prod = await declareStack(settingsOf("prod"));
    iceberg = await declareStack(settingsOf("iceberg"));
  });

  describe("an extended S3 stream (dev)", () => {
    it("reads the declared name, ARN, encryption, buffers, prefixes, Lambda buffer and compression", () => {
      const { streams, skipped } = declaredStreams(dev);
      assert.deepEqual(skipped, []);
      assert.equal(streams.length, 1);
      const { inputs, ...stream } = streams[0];
      assert.equal(inputs.name, "firehose-etl-dev-events");
      assert.deepEqual(stream, {
        name: "firehose-etl-dev-events",
        arn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/firehose-etl-dev-events",
        sourceKinesisStreamArn: undefined,
        encrypted: true,
        deaggregation: undefined,
        lambda: { sizeMiB: 1, intervalSeconds: 60, retries: 3 },
        metadataExtractionQuery: undefined,
        prefix: DEV_PREFIX,
        errorOutputPrefix: DEV_ERRORS,
        buffer: { sizeMiB: 5, intervalSeconds: 60 },
        output: { format: "json", compression: "GZIP" },
      });
    });

    it("follows the declared buffering hints, prefixes and compression", () => {
      const stream = streamAfter(dev, (inputs) => {
        const c = inputs.extendedS3Configuration;
        c.bufferingSize = 64;
        c.bufferingInterval = 900;
        c.prefix = "other/";
        c.errorOutputPrefix = "failed/!{firehose:error-output-type}/";
        c.compressionFormat = "UNCOMPRESSED";
      });
      assert.deepEqual(stream.buffer, { sizeMiB: 64, intervalSeconds: 900 });
      assert.equal(stream.prefix, "other/");
      assert.equal(stream.errorOutputPrefix, "failed/!{firehose:error-output-type}/");
      assert.deepEqual(stream.output, { format: "json", compression: "UNCOMPRESSED" });
    });

    it("takes Firehose's defaults for unset buffering hints, prefixes and compression", () => {
      const stream = streamAfter(dev, (inputs) => {
        const c = inputs.extendedS3Configuration;
        for (const key of [
          "bufferingSize",
          "bufferingInterval",
          "prefix",
          "errorOutputPrefix",
          "compressionFormat",
        ])
          delete c[key];
      });
      assert.deepEqual(stream.buffer, { sizeMiB: 5, intervalSeconds: 300 });
      assert.equal(stream.prefix, "");
      assert.equal(stream.errorOutputPrefix, "");
      assert.deepEqual(stream.output, { format: "json", compression: "UNCOMPRESSED" });
    });

    it("refuses a compression the local run does not simulate, naming it", () => {
      assert.throws(
        () => streamAfter(dev, (inputs) => (inputs.extendedS3Configuration.compressionFormat = "Snappy")),
        {
          message:
            "stream firehose-etl-dev-events: compressionFormat Snappy is not simulated locally (GZIP and UNCOMPRESSED are)",
        },
      );
    });

    it("is unencrypted when server-side encryption is absent or disabled", () => {
      assert.equal(
        streamAfter(dev, (inputs) => (inputs.serverSideEncryption.enabled = false)).encrypted,
        false,
      );
      assert.equal(streamAfter(dev, (inputs) => delete inputs.serverSideEncryption).encrypted, false);
    });

    it("reads the Lambda processor's buffer and retries", () => {
      const stream = streamAfter(dev, (inputs) => {
        const [lambda] = inputs.extendedS3Configuration.processingConfiguration.processors;
        lambda.parameters.push(
          { parameterName: "BufferSizeInMBs", parameterValue: "3" },
          { parameterName: "BufferIntervalInSeconds", parameterValue: "15" },
          { parameterName: "NumberOfRetries", parameterValue: "0" },
        );
      });
      assert.deepEqual(stream.lambda, { sizeMiB: 3, intervalSeconds: 15, retries: 0 });
    });

    it("refuses a stream with no Lambda processor, or with processing disabled", () => {
      const message =
        "stream firehose-etl-dev-events: declares no Lambda processor; the local run runs the transform";
      assert.throws(
        () =>
          streamAfter(
            dev,
            (inputs) => (inputs.extendedS3Configuration.processingConfiguration.processors = []),
          ),
        { message },
      );
      assert.throws(
        () =>
          streamAfter(
            dev,
            (inputs) => (inputs.extendedS3Configuration.processingConfiguration.enabled = false),
          ),
        { message },
      );
      assert.throws(
        () => streamAfter(dev, (inputs) => delete inputs.extendedS3Configuration.processingConfiguration),
        { message },
      );
    });

    it("refuses a processor the local run does not implement, naming it and the ones it does", () => {
      assert.deepEqual(LOCAL_PROCESSOR_ORDER, ["RecordDeAggregation", "Lambda", "MetadataExtraction"]);
      assert.throws(
        () =>
          streamAfter(dev, (inputs) =>
            inputs.extendedS3Configuration.processingConfiguration.processors.push(
              processor("AppendDelimiterToRecord", {}),
            ),
          ),
        {
          message:
            "stream firehose-etl-dev-events: processor AppendDelimiterToRecord is not run locally " +
            "(RecordDeAggregation, Lambda, MetadataExtraction are)",
        },
      );
    });

    it("names every processor the local run does not implement", () => {
      assert.throws(
        () =>
          streamAfter(dev, (inputs) =>
            inputs.extendedS3Configuration.processingConfiguration.processors.push(
              processor("AppendDelimiterToRecord", {}),
              processor("CloudWatchLogProcessing", {}),
            ),
          ),
        /: processor AppendDelimiterToRecord, CloudWatchLogProcessing is not run locally/,
      );
    });

    it("refuses de-aggregation declared after the Lambda processor", () => {
      assert.throws(
        () =>
          streamAfter(dev, (inputs) =>
            inputs.extendedS3Configuration.processingConfiguration.processors.push(
              processor("RecordDeAggregation", { SubRecordType: "JSON" }),
            ),
          ),
        {
          message:
            "stream firehose-etl-dev-events: declares its processors in the order Lambda, RecordDeAggregation; " +
            "the local run applies them as RecordDeAggregation, Lambda",
        },
      );
    });

    for (const [subRecordType, parameters, expected] of [
      ["JSON", { SubRecordType: "JSON" }, { subRecordType: "JSON" }],
      ["DELIMITED", { SubRecordType: "DELIMITED" }, { subRecordType: "DELIMITED" }],
      [
        "DELIMITED with a delimiter",
        { SubRecordType: "DELIMITED", Delimiter: Buffer.from("||").toString("base64") },
        { subRecordType: "DELIMITED", delimiter: "||" },
      ],
      ["KPL", { SubRecordType: "KPL" }, undefined],
    ] as const) {
      it(`reads de-aggregation of ${subRecordType} sub-records`, () => {
        const stream = streamAfter(dev, (inputs) =>
          inputs.extendedS3Configuration.processingConfiguration.processors.unshift(
            processor("RecordDeAggregation", parameters),
          ),
        );
        assert.deepEqual(stream.deaggregation, expected);
      });
    }
  });

  describe("a stream with Parquet conversion from a Kinesis source (prod)", () => {
    it("reads the source, the extraction query, the Glue table's columns, and skips the other destinations", () => {
      const { streams, skipped } = declaredStreams(prod);
      assert.deepEqual(skipped, [
        { stream: "firehose-etl-prod-warehouse", destination: "redshift" },
        { stream: "firehose-etl-prod-search", destination: "opensearch" },
      ]);
      assert.equal(streams.length, 1);
      const [stream] = streams;
      assert.equal(
        stream.sourceKinesisStreamArn,
        "arn:aws:kinesis:eu-west-1:123456789012:stream/firehose-etl-prod-source",
      );
      assert.equal(stream.encrypted, false);
      assert.equal(stream.metadataExtractionQuery, "{country:.country}");
      assert.deepEqual(stream.buffer, { sizeMiB: 128, intervalSeconds: 300 });
      const table = prod.resources.find((r) => r.type === DECLARED_TYPES.table && r.inputs.name === "events")
        ?.inputs as Inputs;
      assert.deepEqual(stream.output, {
        format: "parquet",
        compression: "SNAPPY",
        table: { databaseName: "firehose_etl_prod", tableName: "events" },
        columns: table.storageDescriptor.columns,
      });
    });

    it("follows the declared Kinesis source and Parquet compression", () => {
      const stream = streamAfter(prod, (inputs) => {
        inputs.kinesisSourceConfiguration.kinesisStreamArn = "arn:aws:kinesis:eu-west-1:1:stream/other";
        const serde = inputs.extendedS3Configuration?.dataFormatConversionConfiguration;
        if (serde) serde.outputFormatConfiguration.serializer.parquetSerDe.compression = "GZIP";
      });
      assert.equal(stream.sourceKinesisStreamArn, "arn:aws:kinesis:eu-west-1:1:stream/other");
      assert.equal(stream.output.format === "parquet" && stream.output.compression, "GZIP");
    });

    it("compresses Parquet with SNAPPY when the serializer names no compression", () => {
      const stream = streamAfter(prod, (inputs) => {
        const serde = inputs.extendedS3Configuration?.dataFormatConversionConfiguration;
        if (serde) delete serde.outputFormatConfiguration;
      });
      assert.equal(stream.output.format === "parquet" && stream.output.compression, "SNAPPY");
    });

    it("compresses Parquet with SNAPPY when no serializer or Parquet SerDe is declared", () => {
      for (const edit of [
        (output: Inputs) => delete output.serializer,
        (output: Inputs) => delete output.serializer.parquetSerDe,
      ]) {
        const stream = streamAfter(prod, (inputs) => {
          const conversion = inputs.extendedS3Configuration?.dataFormatConversionConfiguration;
          if (conversion) edit(conversion.outputFormatConfiguration);
        });
        assert.equal(stream.output.format === "parquet" && stream.output.compression, "SNAPPY");
      }
    });

    it("follows the Glue table's declared columns", () => {
      const declared = edited(prod, DECLARED_TYPES.table, (inputs) =>
        inputs.storageDescriptor?.columns.push({ name: "added", type: "string" }),
      );
      const [stream] = declaredStreams(declared).streams;
      assert.deepEqual(stream.output.format === "parquet" && stream.output.columns.slice(-1), [
        { name: "added", type: "string" },
      ]);
    });

    it("writes JSON with the declared compression when the conversion is disabled", () => {
      const stream = streamAfter(prod, (inputs) => {
        const c = inputs.extendedS3Configuration;
        if (c) {
          c.dataFormatConversionConfiguration.enabled = false;
          c.compressionFormat = "GZIP";
        }
      });
      assert.deepEqual(stream.output, { format: "json", compression: "GZIP" });
    });

    for (const [key, named] of [
      ["tableName", "firehose_etl_prod.missing"],
      ["databaseName", "missing.events"],
    ] as const) {
      it(`refuses a conversion with a Glue table that is not declared (${key}), naming it`, () => {
        assert.throws(
          () =>
            streamAfter(prod, (inputs) => {
              const schema =
                inputs.extendedS3Configuration?.dataFormatConversionConfiguration?.schemaConfiguration;
              if (schema) schema[key] = "missing";
            }),
          { message: `stream firehose-etl-prod-lake: converts with the Glue table ${named}, not declared` },
        );
      });
    }
  });

  describe("an Iceberg stream", () => {
    it("reads the tables, their columns and keys, and routes by the query into op= folders", () => {
      const [stream] = declaredStreams(iceberg).streams;
      assert.equal(
        stream.prefix,
        "iceberg/!{partitionKeyFromQuery:destinationTableName}/data/op=!{partitionKeyFromQuery:operation}/",
      );
      assert.equal(stream.errorOutputPrefix, DEV_ERRORS);
      assert.deepEqual(stream.buffer, { sizeMiB: 64, intervalSeconds: 300 });
      assert.equal(stream.output.format, "iceberg");
      if (stream.output.format !== "iceberg") return;
      assert.equal(stream.output.appendOnly, false);
      assert.deepEqual(
        stream.output.tables.map(({ columns, ...t }) => ({ ...t, columns: columns.slice(-3) })),
        [
          {
            database: "firehose_etl_iceberg",
            name: "events",
            root: "iceberg/events/",
            columns: [
              { name: "ts", type: "string" },
              { name: "event_version", type: "int" },
              { name: "source", type: "string" },
            ],
            uniqueKeys: ["event_id"],
          },
        ],
      );
    });

    it("writes into the table's data folder when it appends and is not routed", () => {
      const stream = streamAfter(iceberg, (inputs) => {
        const c = inputs.icebergConfiguration;
        c.appendOnly = true;
        c.processingConfiguration.processors.pop();
      });
      assert.equal(stream.prefix, "iceberg/events/data/");
      assert.equal(stream.metadataExtractionQuery, undefined);
      assert.deepEqual(stream.output.format === "iceberg" && stream.output.tables.map((t) => t.uniqueKeys), [
        undefined,
      ]);
      assert.equal(stream.output.format === "iceberg" && stream.output.appendOnly, true);
    });

    it("takes Firehose's buffering defaults for an Iceberg stream", () => {
      const stream = streamAfter(iceberg, (inputs) => {
        delete inputs.icebergConfiguration.bufferingSize;
        delete inputs.icebergConfiguration.bufferingInterval;
      });
      assert.deepEqual(stream.buffer, { sizeMiB: 5, intervalSeconds: 300 });
    });

    it("routes an appending stream without op= folders", () => {
      const stream = streamAfter(iceberg, (inputs) => (inputs.icebergConfiguration.appendOnly = true));
      assert.equal(stream.prefix, "iceberg/!{partitionKeyFromQuery:destinationTableName}/data/");
    });

    it("refuses an upserting stream with no routing query", () => {
      assert.throws(
        () =>
          streamAfter(iceberg, (inputs) =>
            inputs.icebergConfiguration.processingConfiguration.processors.pop(),
          ),
        {
          message:
            "stream firehose-etl-iceberg-events: an upserting stream or one with several tables needs routing keys from a query",
        },
      );
    });

    it("refuses a table that is not a declared Iceberg table, naming it", () => {
      assert.throws(
        () =>
          streamAfter(
            iceberg,
            (inputs) => (inputs.icebergConfiguration.destinationTableConfigurations[0].tableName = "gone"),
          ),
        {
          message:
            "stream firehose-etl-iceberg-events: writes firehose_etl_iceberg.gone, which is not a declared Iceberg table",
        },
      );
    });

    it("refuses a stream that names no destination table", () => {
      for (const edit of [
        (c: Inputs) => (c.destinationTableConfigurations = []),
        (c: Inputs) => delete c.destinationTableConfigurations,
      ]) {
        assert.throws(() => streamAfter(iceberg, (inputs) => edit(inputs.icebergConfiguration)), {
          message: "stream firehose-etl-iceberg-events: names no destination table",
        });
      }
    });

    it("takes its error prefix from the S3 configuration, empty when unset", () => {
      const stream = streamAfter(
        iceberg,
        (inputs) => delete inputs.icebergConfiguration.s3Configuration.errorOutputPrefix,
      );
      assert.equal(stream.errorOutputPrefix, "");
      assert.equal(
        streamAfter(iceberg, (inputs) => delete inputs.icebergConfiguration.s3Configuration)
          .errorOutputPrefix,
        "",
      );
    });

    /** The Iceberg stack with a second declared table `other` at `location`, which the stream also writes. */
    function withSecondTable(location: string, edit: (c: Inputs) => void = () => undefined): DeclaredStack {
      const table = iceberg.resources.find(
        (r) => r.type === DECLARED_TYPES.table && r.inputs.name === "events",
      );
      assert.ok(table);
      const inputs = structuredClone(table.inputs) as Inputs;
      inputs.name = "other";
      inputs.openTableFormatInput.icebergInput.icebergTableInput.location = location;
      const resources = [...iceberg.resources, { ...table, inputs }];
      return edited({ settings: iceberg.settings, resources }, DECLARED_TYPES.stream, (stream) => {
        const c = stream.icebergConfiguration;
        c.destinationTableConfigurations.push({ databaseName: "firehose_etl_iceberg", tableName: "other" });
        edit(c);
      });
    }

    it("routes several tables under their common root", () => {
      const [stream] = declaredStreams(withSecondTable("s3://bucket/iceberg/other/")).streams;
      assert.equal(
        stream.prefix,
        "iceberg/!{partitionKeyFromQuery:destinationTableName}/data/op=!{partitionKeyFromQuery:operation}/",
      );
      assert.deepEqual(
        stream.output.format === "iceberg" && stream.output.tables.map((t) => [t.name, t.root, t.uniqueKeys]),
        [
          ["events", "iceberg/events/", ["event_id"]],
          ["other", "iceberg/other/", undefined],
        ],
      );
    });

    it("refuses a routed second table elsewhere, naming it", () => {
      assert.throws(() => declaredStreams(withSecondTable("s3://bucket/tables/other/")), {
        message:
          "stream firehose-etl-iceberg-events: the local run needs every routed table at <root>/<table name>/, got tables/other/ for other",
      });
    });

    it("refuses an appending stream with several tables and no routing query", () => {
      const declared = withSecondTable("s3://bucket/iceberg/other/", (c) => {
        c.appendOnly = true;
        c.processingConfiguration.processors.pop();
      });
      assert.throws(() => declaredStreams(declared), {
        message:
          "stream firehose-etl-iceberg-events: an upserting stream or one with several tables needs routing keys from a query",
      });
    });

    it("refuses routed tables that are not at <root>/<table name>/, naming the misplaced one", () => {
      const declared = edited(iceberg, DECLARED_TYPES.table, (inputs) => {
        const table = inputs.openTableFormatInput?.icebergInput?.icebergTableInput;
        if (table) table.location = "s3://bucket/iceberg/elsewhere/";
      });
      assert.throws(() => declaredStreams(declared), {
        message:
          "stream firehose-etl-iceberg-events: the local run needs every routed table at <root>/<table name>/, got iceberg/elsewhere/ for events",
      });
    });
  });
});
