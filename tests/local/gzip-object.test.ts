import * as assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { gzipObject } from "../../local/gzip-object";

describe("local: GZIP objects", () => {
  it("writes what zlib's default level writes, and reads back as the body", async () => {
    const body = Buffer.from(
      Array.from({ length: 5_000 }, (_, i) => `{"n":${i},"s":"${(i * 7919) % 104729}"}\n`).join(""),
    );
    const gzipped = await gzipObject(body);
    assert.deepEqual(gzipped, gzipSync(body));
    assert.deepEqual(gunzipSync(gzipped), body);
  });

  it("writes a valid object for an empty body", async () => {
    assert.deepEqual(gunzipSync(await gzipObject(Buffer.alloc(0))), Buffer.alloc(0));
  });
});
