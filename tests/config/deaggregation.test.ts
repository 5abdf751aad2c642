import { strict as assert } from "assert";
import {
  DEAGGREGATION_PROCESSOR,
  deaggregationParameters,
  MAX_SUB_RECORDS,
} from "../../config/deaggregation";

describe("de-aggregation processor", () => {
  it("is Firehose's RecordDeAggregation, capped at 500 records per input record", () => {
    assert.equal(DEAGGREGATION_PROCESSOR, "RecordDeAggregation");
    assert.equal(MAX_SUB_RECORDS, 500);
  });

  it("splits JSON at object boundaries, without a delimiter", () => {
    assert.deepEqual(deaggregationParameters({ subRecordType: "JSON" }), [
      { name: "SubRecordType", value: "JSON" },
    ]);
    assert.deepEqual(deaggregationParameters({ subRecordType: "JSON", delimiter: "\n" }), [
      { name: "SubRecordType", value: "JSON" },
    ]);
  });

  it("passes a DELIMITED record's delimiter base64-encoded from UTF-8", () => {
    assert.deepEqual(deaggregationParameters({ subRecordType: "DELIMITED", delimiter: "\n" }), [
      { name: "SubRecordType", value: "DELIMITED" },
      { name: "Delimiter", value: "Cg==" },
    ]);
    assert.deepEqual(deaggregationParameters({ subRecordType: "DELIMITED", delimiter: "§§" }), [
      { name: "SubRecordType", value: "DELIMITED" },
      { name: "Delimiter", value: "wqfCpw==" },
    ]);
  });

  it("passes no delimiter when a DELIMITED record has none", () => {
    assert.deepEqual(deaggregationParameters({ subRecordType: "DELIMITED" }), [
      { name: "SubRecordType", value: "DELIMITED" },
    ]);
  });
});
