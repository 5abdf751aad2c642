import * as assert from "node:assert/strict";
import { objectKey, STREAM_VERSION } from "../../local/object-key";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

describe("local: Firehose object names", () => {
  it("is prefix, stream, version, the oldest arrival in UTC, a UUID and the extension", () => {
    const key = objectKey("data/2018/02/07/", "events", Date.parse("2018-02-07T09:05:03.999Z"), ".gz");
    assert.match(key, new RegExp(`^data/2018/02/07/events-1-2018-02-07-09-05-03-${UUID}\\.gz$`));
  });

  it("numbers the stream version 1", () => {
    assert.equal(STREAM_VERSION, 1);
  });

  it("takes the extension as given, none included", () => {
    const key = objectKey("", "s", 0, "");
    assert.match(key, new RegExp(`^s-1-1970-01-01-00-00-00-${UUID}$`));
  });

  it("gives each object its own name", () => {
    const keys = new Set(Array.from({ length: 50 }, () => objectKey("p/", "s", 0, ".parquet")));
    assert.equal(keys.size, 50);
  });
});
