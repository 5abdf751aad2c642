// The schema pieces every destination shares: Glue names, buffers within AWS's bounds and the retry duration.
import { strict as assert } from "assert";
import { bufferSchema, glueName, pii, retrySeconds } from "../../../config/destinations/common";
import { AT, problemsWith } from "./stack";

const issuesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.message);

describe("config: destination schema pieces", () => {
  describe("a Glue name", () => {
    for (const name of ["a", "z", "_", "_a", "za09_", "a_z9", "a".repeat(128)]) {
      it(`accepts ${JSON.stringify(name.length > 20 ? `${name.length} characters` : name)}`, () => {
        assert.deepEqual(issuesOf(glueName.safeParse(name)), []);
      });
    }

    for (const name of ["", "A", "9a", "-a", "aB", "a-b", "a b", " a", "a ", "a".repeat(129)]) {
      it(`refuses ${JSON.stringify(name.length > 20 ? `${name.length} characters` : name)}`, () => {
        assert.deepEqual(issuesOf(glueName.safeParse(name)), ["must be lower-case letters, digits and '_'"]);
      });
    }

    it("is reported at its key with the value", () => {
      assert.deepEqual(
        problemsWith({
          type: "redshift",
          warehouse: "serverless",
          table: "Events",
          columns: [{ name: "event_id", type: "BIGINT" }],
          buffer: { sizeMiB: 64, intervalSeconds: 300 },
        }),
        [`${AT}.table: must be lower-case letters, digits and '_', got "Events"`],
      );
    });
  });

  describe("the pii flag", () => {
    it("is an optional boolean", () => {
      assert.equal(pii.parse(undefined), undefined);
      assert.equal(pii.parse(false), false);
      assert.equal(pii.safeParse("yes").success, false);
    });
  });

  describe("a buffer", () => {
    const buffer = bufferSchema({
      sizeMiB: { min: 2, max: 10 },
      intervalSeconds: { min: 30, max: 60 },
      defaultSizeMiB: 5,
      defaultIntervalSeconds: 60,
    });

    it("accepts its bounds", () => {
      assert.deepEqual(buffer.parse({ sizeMiB: 2, intervalSeconds: 30 }), {
        sizeMiB: 2,
        intervalSeconds: 30,
      });
      assert.deepEqual(buffer.parse({ sizeMiB: 10, intervalSeconds: 60 }), {
        sizeMiB: 10,
        intervalSeconds: 60,
      });
    });

    it("refuses values just outside its bounds, and fractions", () => {
      assert.deepEqual(issuesOf(buffer.safeParse({ sizeMiB: 1, intervalSeconds: 29 })), [
        "Too small: expected number to be >=2",
        "Too small: expected number to be >=30",
      ]);
      assert.deepEqual(issuesOf(buffer.safeParse({ sizeMiB: 11, intervalSeconds: 61 })), [
        "Too big: expected number to be <=10",
        "Too big: expected number to be <=60",
      ]);
      assert.deepEqual(issuesOf(buffer.safeParse({ sizeMiB: 2.5, intervalSeconds: 30.5 })), [
        "Invalid input: expected int, received number",
        "Invalid input: expected int, received number",
      ]);
    });

    it("has no defaults and no other keys", () => {
      assert.equal(buffer.safeParse({}).success, false);
      assert.deepEqual(
        buffer.safeParse({ sizeMiB: 2, intervalSeconds: 30, sizeMB: 2 }).error?.issues.map((i) => i.code),
        ["unrecognized_keys"],
      );
    });
  });

  describe("the retry duration", () => {
    const retry = retrySeconds(42);

    it("defaults to the destination's own default", () => {
      assert.equal(retry.parse(undefined), 42);
    });

    it("accepts 0 to 7200 seconds (AWS's bounds)", () => {
      assert.equal(retry.parse(0), 0);
      assert.equal(retry.parse(7200), 7200);
    });

    it("refuses -1, 7201 and fractions", () => {
      assert.deepEqual(issuesOf(retry.safeParse(-1)), ["Too small: expected number to be >=0"]);
      assert.deepEqual(issuesOf(retry.safeParse(7201)), ["Too big: expected number to be <=7200"]);
      assert.deepEqual(issuesOf(retry.safeParse(0.5)), ["Invalid input: expected int, received number"]);
    });
  });
});
