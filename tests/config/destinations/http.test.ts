// The HTTP endpoint destination's config: defaults, the URL it accepts, and its bounds.
import { strict as assert } from "assert";
import { destinationSchema, needsOf } from "../../../config/destinations";
import { httpDestination } from "../../../config/destinations/http";
import { RawConfig } from "../../support/stacks";
import { AT, problemsWith } from "./stack";

const hook = {
  type: "http",
  url: "https://hooks.example.com/in",
  buffer: { sizeMiB: 1, intervalSeconds: 60 },
};
const problemsOfHook = (edit: RawConfig) => problemsWith({ ...hook, ...edit });

describe("config: the http destination", () => {
  it("fills the documented defaults", () => {
    assert.deepEqual(httpDestination.schema.parse(hook), {
      ...hook,
      accessKeyConfigKey: "httpEndpointAccessKey",
      contentEncoding: "GZIP",
      retrySeconds: 300,
      backupMode: "FailedDataOnly",
      commonAttributes: {},
    });
  });

  it("accepts every setting at its bounds", () => {
    assert.deepEqual(
      problemsOfHook({
        url: "https://x",
        endpointName: "e".repeat(256),
        accessKeyConfigKey: "hookKey",
        contentEncoding: "NONE",
        buffer: { sizeMiB: 64, intervalSeconds: 900 },
        retrySeconds: 0,
        backupMode: "AllData",
        commonAttributes: { team: "data" },
      }),
      [],
    );
    assert.deepEqual(problemsOfHook({ endpointName: "e" }), []);
  });

  for (const url of [
    "http://hooks.example.com",
    "https://",
    "https://a b",
    " https://a",
    "https://a ",
    "xhttps://a",
  ]) {
    it(`refuses the URL ${JSON.stringify(url)}`, () => {
      assert.deepEqual(problemsOfHook({ url }), [
        `${AT}.url: must be an https:// URL, got ${JSON.stringify(url)}`,
      ]);
    });
  }

  it("refuses an empty or 257-character endpoint name", () => {
    assert.deepEqual(problemsOfHook({ endpointName: "" }), [
      `${AT}.endpointName: Too small: expected string to have >=1 characters, got ""`,
    ]);
    assert.deepEqual(problemsOfHook({ endpointName: "e".repeat(257) }), [
      `${AT}.endpointName: Too big: expected string to have <=256 characters, got "${"e".repeat(257)}"`,
    ]);
  });

  it("refuses an unknown encoding or backup mode, a buffer above 64 MiB and a non-text attribute", () => {
    assert.deepEqual(
      problemsOfHook({
        contentEncoding: "BR",
        buffer: { sizeMiB: 65, intervalSeconds: 60 },
        backupMode: "FailedDocumentsOnly",
        commonAttributes: { n: 1 },
      }),
      [
        `${AT}.contentEncoding: Invalid option: expected one of "NONE"|"GZIP", got "BR"`,
        `${AT}.buffer.sizeMiB: Too big: expected number to be <=64, got 65`,
        `${AT}.backupMode: Invalid option: expected one of "FailedDataOnly"|"AllData", got "FailedDocumentsOnly"`,
        `${AT}.commonAttributes.n: Invalid input: expected string, received number, got 1`,
      ],
    );
  });

  it("needs nothing of the stack", () => {
    assert.deepEqual(needsOf(destinationSchema.parse(hook)), {
      keyServices: [],
      needsNetwork: false,
      columns: [],
      recordFields: [],
    });
  });
});
