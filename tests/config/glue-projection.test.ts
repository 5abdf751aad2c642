import { strict as assert } from "assert";
import { partitionColumnsOf, projectionParameters } from "../../config/glue-projection";
import { PartitionColumn } from "../../config/layout";

const COLUMNS: PartitionColumn[] = [
  { name: "country", projection: { type: "enum", values: ["DE", "FR"] } },
  { name: "tenant", projection: { type: "injected" } },
  { name: "year", projection: { type: "integer", range: "2020,2100" } },
  { name: "month", projection: { type: "integer", range: "1,12", digits: 2 } },
];

const PARAMETERS = {
  "projection.enabled": "true",
  "projection.country.type": "enum",
  "projection.country.values": "DE,FR",
  "projection.tenant.type": "injected",
  "projection.year.type": "integer",
  "projection.year.range": "2020,2100",
  "projection.month.type": "integer",
  "projection.month.range": "1,12",
  "projection.month.digits": "2",
};

describe("Glue partition projection", () => {
  it("writes each column's projection as table parameters", () => {
    assert.deepEqual(projectionParameters(COLUMNS), PARAMETERS);
  });

  it("enables projection even without partition columns", () => {
    assert.deepEqual(projectionParameters([]), { "projection.enabled": "true" });
  });

  it("reads the columns back in the table's order", () => {
    const keys = ["month", "country", "year", "tenant"].map((name) => ({ name }));
    assert.deepEqual(
      partitionColumnsOf(keys, PARAMETERS),
      keys.map(({ name }) => COLUMNS.find((c) => c.name === name)),
    );
  });

  it("reads back exactly what it wrote", () => {
    assert.deepEqual(partitionColumnsOf(COLUMNS, projectionParameters(COLUMNS)), COLUMNS);
  });

  it("rejects a projection type the lake does not write, naming the column and the type", () => {
    assert.throws(
      () => partitionColumnsOf([{ name: "dt" }], { "projection.dt.type": "date" }),
      (err: Error) =>
        err.message === `partition column 'dt': projection type "date" is not one the lake writes`,
    );
    assert.throws(
      () => partitionColumnsOf([{ name: "dt" }], {}),
      (err: Error) =>
        err.message === `partition column 'dt': projection type undefined is not one the lake writes`,
    );
  });
});
