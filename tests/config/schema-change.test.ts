import { strict as assert } from "assert";
import { ALLOW_BREAKING_HINT, breakingChanges, schemaChange } from "../../config/schema-change";

describe("schema change", () => {
  const before = [
    { name: "id", type: "string" },
    { name: "Amount", type: "int" },
    { name: "note", type: "string" },
  ];

  it("finds no change between equal schemas, matching names and types case-insensitively", () => {
    const after = [
      { name: "ID", type: "STRING" },
      { name: "amount", type: "Int" },
      { name: "note", type: "string" },
    ];
    assert.deepEqual(schemaChange(before, after), { added: [], removed: [], retyped: [] });
  });

  it("finds added, removed and retyped columns, each in its schema's order", () => {
    const after = [
      { name: "zone", type: "string" },
      { name: "amount", type: "bigint" },
      { name: "id", type: "string" },
      { name: "extra", type: "int" },
    ];
    assert.deepEqual(schemaChange(before, after), {
      added: [
        { name: "zone", type: "string" },
        { name: "extra", type: "int" },
      ],
      removed: [{ name: "note", type: "string" }],
      retyped: [{ name: "amount", from: "int", to: "bigint" }],
    });
  });

  // Glue stores names lower-cased, and "STRASSE" lower-cases to "strasse": a column other than "straße".
  it("matches names by their lower case, as Glue stores them", () => {
    assert.deepEqual(schemaChange([{ name: "straße", type: "int" }], [{ name: "STRASSE", type: "int" }]), {
      added: [{ name: "STRASSE", type: "int" }],
      removed: [{ name: "straße", type: "int" }],
      retyped: [],
    });
  });

  it("sees a rename as a removal and an addition", () => {
    assert.deepEqual(schemaChange([{ name: "a", type: "int" }], [{ name: "b", type: "int" }]), {
      added: [{ name: "b", type: "int" }],
      removed: [{ name: "a", type: "int" }],
      retyped: [],
    });
  });

  it("names each removed and retyped column as breaking, removals first", () => {
    const change = schemaChange(before, [
      { name: "amount", type: "bigint" },
      { name: "id", type: "string" },
      { name: "extra", type: "int" },
    ]);
    assert.deepEqual(breakingChanges("lake.events", change), [
      "lake.events: column 'note' (string) is removed",
      "lake.events: column 'amount' changes type from int to bigint",
    ]);
  });

  it("finds an added column not breaking", () => {
    assert.deepEqual(breakingChanges("t", schemaChange(before, [...before, { name: "x", type: "int" }])), []);
  });

  it("tells how to go ahead anyway", () => {
    assert.equal(
      ALLOW_BREAKING_HINT,
      "a breaking schema change: data already written keeps the old schema. Add columns instead, or set " +
        "table.allowBreakingSchemaChange: true for this deploy if the data is migrated or expendable",
    );
  });
});
