import * as assert from "node:assert/strict";
import { PartitionColumn } from "../../config/layout";
import {
  integerRange,
  projected,
  projectionText,
  UnprojectedPartitions,
} from "../../local/partition-projection";

const COUNTRY: PartitionColumn = { name: "country", projection: { type: "enum", values: ["AT", "BE"] } };
const YEAR: PartitionColumn = { name: "year", projection: { type: "integer", range: "2020,2100" } };
const OFFSET: PartitionColumn = { name: "offset", projection: { type: "integer", range: "-5,5" } };
const TENANT: PartitionColumn = { name: "tenant", projection: { type: "injected" } };

function hidden(column: PartitionColumn, value: string): string {
  return (
    `warning: records landed in partition ${column.name}=${value}, but the Glue table projects ${column.name} as ` +
    `${projectionText(column)}: Athena will not read them (nor does npm run query). ` +
    (column.projection.type === "enum"
      ? "List the value in the pipeline's partitioning.fields[].values, or map it to a listed one in the transform."
      : "Check the time the partition value comes from.")
  );
}

describe("local: partition projection", () => {
  describe("projected", () => {
    it("an enum projection reads exactly the values it lists", () => {
      assert.equal(projected(COUNTRY, "AT"), true);
      assert.equal(projected(COUNTRY, "BE"), true);
      assert.equal(projected(COUNTRY, "DE"), false);
      assert.equal(projected(COUNTRY, "at"), false);
      assert.equal(projected(COUNTRY, ""), false);
    });

    it("an integer projection reads its range, both ends included", () => {
      assert.equal(projected(YEAR, "2019"), false);
      assert.equal(projected(YEAR, "2020"), true);
      assert.equal(projected(YEAR, "2064"), true);
      assert.equal(projected(YEAR, "2100"), true);
      assert.equal(projected(YEAR, "2101"), false);
    });

    it("an integer projection reads negative integers in its range", () => {
      assert.equal(projected(OFFSET, "-5"), true);
      assert.equal(projected(OFFSET, "-6"), false);
      assert.equal(projected(OFFSET, "0"), true);
      assert.equal(projected(OFFSET, "5"), true);
      assert.equal(projected(OFFSET, "6"), false);
    });

    it("an integer projection reads only integer text, not what Number() would accept", () => {
      for (const value of ["", " 1", "1 ", "1.0", "+1", "0x1", "1e0", "x1", "1x", "-"]) {
        assert.equal(projected(OFFSET, value), false, JSON.stringify(value));
      }
    });

    it("an injected projection reads any value", () => {
      assert.equal(projected(TENANT, "anything"), true);
      assert.equal(projected(TENANT, ""), true);
    });
  });

  it("integerRange reads 'min,max' as numbers", () => {
    assert.deepEqual(integerRange("2020,2100"), [2020, 2100]);
    assert.deepEqual(integerRange("-5,5"), [-5, 5]);
  });

  it("projectionText says what each projection allows", () => {
    assert.equal(projectionText(COUNTRY), "one of AT, BE");
    assert.equal(projectionText(YEAR), "2020 to 2100");
    assert.equal(projectionText(OFFSET), "-5 to 5");
    assert.equal(projectionText(TENANT), "any value");
  });

  describe("UnprojectedPartitions", () => {
    it("warns about an enum value the projection does not list, suggesting to list or map it", () => {
      const watch = new UnprojectedPartitions([COUNTRY, YEAR, TENANT]);
      assert.deepEqual(watch.check(["data/country=DE/year=2026/tenant=a/o1"]), [
        "warning: records landed in partition country=DE, but the Glue table projects country as one of AT, BE: " +
          "Athena will not read them (nor does npm run query). List the value in the pipeline's " +
          "partitioning.fields[].values, or map it to a listed one in the transform.",
      ]);
    });

    it("warns about an integer value outside the range, pointing at the time it comes from", () => {
      const watch = new UnprojectedPartitions([COUNTRY, YEAR, TENANT]);
      assert.deepEqual(watch.check(["data/country=AT/year=1970/tenant=a/o1"]), [
        "warning: records landed in partition year=1970, but the Glue table projects year as 2020 to 2100: " +
          "Athena will not read them (nor does npm run query). Check the time the partition value comes from.",
      ]);
    });

    it("says nothing about projected values, injected columns or segments that name no column", () => {
      const watch = new UnprojectedPartitions([COUNTRY, YEAR, TENANT]);
      assert.deepEqual(
        watch.check([
          "data/country=AT/year=2020/tenant=whatever/o1",
          "data/country=BE/year=2100/tenant=/o2",
          "data/region=XX/countryXX/yearly=1970/o3",
        ]),
        [],
      );
    });

    it("reads a segment without '=' as naming no column, even when it begins with a column's name", () => {
      const watch = new UnprojectedPartitions([COUNTRY]);
      assert.deepEqual(watch.check(["countryX/o1", "country/o2"]), []);
    });

    it("reads a segment beginning with '=' as naming no column", () => {
      const unnamed: PartitionColumn = { name: "", projection: { type: "enum", values: ["AT"] } };
      assert.deepEqual(new UnprojectedPartitions([unnamed]).check(["=XX/o1"]), []);
    });

    it("takes the value after the first '='", () => {
      const watch = new UnprojectedPartitions([COUNTRY]);
      assert.deepEqual(watch.check(["country=AT=1/o1"]), [hidden(COUNTRY, "AT=1")]);
    });

    it("warns once per column and value, across keys and calls", () => {
      const watch = new UnprojectedPartitions([COUNTRY, YEAR]);
      assert.deepEqual(
        watch.check([
          "data/country=XX/year=1970/o1",
          "data/country=XX/year=1970/o2",
          "data/country=YY/year=2026/o3",
        ]),
        [hidden(COUNTRY, "XX"), hidden(YEAR, "1970"), hidden(COUNTRY, "YY")],
      );
      assert.deepEqual(watch.check(["data/country=XX/year=1970/o4"]), []);
      assert.deepEqual(watch.check(["data/country=ZZ/year=2019/o5"]), [
        hidden(COUNTRY, "ZZ"),
        hidden(YEAR, "2019"),
      ]);
    });

    it("watches no column when given none", () => {
      assert.deepEqual(new UnprojectedPartitions([]).check(["data/country=XX/o1"]), []);
    });
  });
});
