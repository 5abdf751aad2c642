import { strict as assert } from "assert";
import { glueTypeOfIceberg, icebergTypeOf } from "../../config/iceberg-types";

describe("Iceberg types", () => {
  describe("of a Glue type", () => {
    it("maps each primitive Glue type, widening the 8- and 16-bit integers to int", () => {
      const glue = ["string", "int", "smallint", "tinyint", "bigint", "double", "float", "boolean", "date"];
      assert.deepEqual([...glue, "timestamp", "binary"].map(icebergTypeOf), [
        "string",
        "int",
        "int",
        "int",
        "long",
        "double",
        "float",
        "boolean",
        "date",
        "timestamp",
        "binary",
      ]);
    });

    it("keeps a decimal's precision and scale, without the space Glue allows after the comma", () => {
      assert.equal(icebergTypeOf("decimal(10,2)"), "decimal(10,2)");
      assert.equal(icebergTypeOf("decimal(38, 9)"), "decimal(38,9)");
      assert.equal(icebergTypeOf("decimal(5,  0)"), "decimal(5,0)");
      assert.equal(icebergTypeOf("decimal(38,18)"), "decimal(38,18)");
    });

    it("has none for a complex, unknown or malformed type", () => {
      for (const glue of ["array<string>", "struct<a:int>", "varchar(10)", "decimal", "decimal(10)"]) {
        assert.equal(icebergTypeOf(glue), undefined, glue);
      }
      for (const glue of [
        "xdecimal(10,2)",
        "decimal(10,2)x",
        "decimal(a,2)",
        "decimal(10,b)",
        "decimal(,2)",
      ]) {
        assert.equal(icebergTypeOf(glue), undefined, glue);
      }
    });
  });

  describe("Glue type of an Iceberg type", () => {
    it("declares each Iceberg primitive with the first Glue type that maps to it", () => {
      const iceberg = ["string", "int", "long", "double", "float", "boolean", "date", "timestamp", "binary"];
      assert.deepEqual(iceberg.map(glueTypeOfIceberg), [
        "string",
        "int",
        "bigint",
        "double",
        "float",
        "boolean",
        "date",
        "timestamp",
        "binary",
      ]);
    });

    it("keeps a decimal as written", () => {
      assert.equal(glueTypeOfIceberg("decimal(10,2)"), "decimal(10,2)");
      assert.equal(glueTypeOfIceberg("decimal(38, 9)"), "decimal(38, 9)");
      assert.equal(glueTypeOfIceberg("decimal(5,  0)"), "decimal(5,  0)");
      assert.equal(glueTypeOfIceberg("decimal(38,18)"), "decimal(38,18)");
    });

    it("rejects an Iceberg type no Glue type maps to, naming it", () => {
      for (const iceberg of ["uuid", "decimal(10,2)x", "xdecimal(10,2)", "decimal(a,2)", "decimal(10,b)"]) {
        assert.throws(
          () => glueTypeOfIceberg(iceberg),
          (err: Error) => err.message === `Iceberg type ${JSON.stringify(iceberg)} has no Glue type here`,
          iceberg,
        );
      }
    });
  });
});
