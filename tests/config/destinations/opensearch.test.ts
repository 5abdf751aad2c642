// The OpenSearch destination's config: defaults, the index name, the domain's sizing rules, the service-linked
// role check and what it needs of the stack.
import { strict as assert } from "assert";
import { destinationSchema, needsOf } from "../../../config/destinations";
import { openSearchDestination } from "../../../config/destinations/opensearch";
import { RawConfig } from "../../support/stacks";
import { AT, problemsWith } from "./stack";

const search = { type: "opensearch", indexName: "events", buffer: { sizeMiB: 5, intervalSeconds: 60 } };
const problemsOfSearch = (edit: RawConfig) => problemsWith({ ...search, ...edit });
const ZONES_MESSAGE =
  "must be 1, an even number or a multiple of 3 (zone awareness spreads data nodes evenly over 2 or 3 availability zones)";
const withLinkedRole = (raw: RawConfig) =>
  ((raw.network as RawConfig).createOpenSearchServiceLinkedRole = true);

describe("config: the opensearch destination", () => {
  it("fills the documented defaults", () => {
    assert.deepEqual(openSearchDestination.schema.parse(search), {
      ...search,
      indexRotation: "OneDay",
      retrySeconds: 300,
      backupMode: "FailedDocumentsOnly",
      engineVersion: "OpenSearch_2.19",
      instanceType: "r7g.large.search",
      instanceCount: 2,
      volumeSizeGiB: 20,
      vpc: true,
    });
  });

  describe("the index name", () => {
    for (const indexName of ["a", "z", "0", "9", "a_b-c", "z9_-", `a${"-_09az".repeat(13)}z`]) {
      it(`accepts ${JSON.stringify(indexName)}`, () => {
        assert.deepEqual(problemsOfSearch({ indexName }), []);
      });
    }

    for (const indexName of ["", "_a", "-a", "Events", "eVents", "a.b", "a b", "a".repeat(81)]) {
      it(`refuses ${JSON.stringify(indexName.slice(0, 12))}`, () => {
        assert.deepEqual(problemsOfSearch({ indexName }), [
          `${AT}.indexName: must be 1-80 lower-case characters, got "${indexName}"`,
        ]);
      });
    }

    it("may be 80 characters long", () => {
      assert.deepEqual(problemsOfSearch({ indexName: "a".repeat(80) }), []);
    });
  });

  describe("the data nodes", () => {
    for (const instanceCount of [1, 2, 3, 4, 6, 9, 80]) {
      it(`accepts ${instanceCount}`, () => {
        assert.deepEqual(problemsOfSearch({ instanceCount }), []);
      });
    }

    for (const instanceCount of [5, 7, 25, 79]) {
      it(`refuses ${instanceCount}, which no zone layout spreads evenly`, () => {
        assert.deepEqual(problemsOfSearch({ instanceCount }), [
          `${AT}.instanceCount: ${ZONES_MESSAGE}, got ${instanceCount}`,
        ]);
      });
    }

    it("refuses 0 and more than 80", () => {
      assert.deepEqual(problemsOfSearch({ instanceCount: 0 }), [
        `${AT}.instanceCount: Too small: expected number to be >=1, got 0`,
      ]);
      assert.deepEqual(problemsOfSearch({ instanceCount: 81 }), [
        `${AT}.instanceCount: Too big: expected number to be <=80, got 81`,
      ]);
    });

    it("takes 10 to 3072 GiB volumes", () => {
      assert.deepEqual(problemsOfSearch({ volumeSizeGiB: 10 }), []);
      assert.deepEqual(problemsOfSearch({ volumeSizeGiB: 3072 }), []);
      assert.deepEqual(problemsOfSearch({ volumeSizeGiB: 9 }), [
        `${AT}.volumeSizeGiB: Too small: expected number to be >=10, got 9`,
      ]);
      assert.deepEqual(problemsOfSearch({ volumeSizeGiB: 3073 }), [
        `${AT}.volumeSizeGiB: Too big: expected number to be <=3072, got 3073`,
      ]);
    });
  });

  it("refuses a buffer above 100 MiB, an unknown rotation and an unknown backup mode", () => {
    assert.deepEqual(
      problemsOfSearch({
        buffer: { sizeMiB: 101, intervalSeconds: 60 },
        indexRotation: "OneYear",
        backupMode: "AllData",
      }),
      [
        `${AT}.indexRotation: Invalid option: expected one of "NoRotation"|"OneHour"|"OneDay"|"OneWeek"|"OneMonth", got "OneYear"`,
        `${AT}.buffer.sizeMiB: Too big: expected number to be <=100, got 101`,
        `${AT}.backupMode: Invalid option: expected one of "FailedDocumentsOnly"|"AllDocuments", got "AllData"`,
      ],
    );
    assert.deepEqual(
      problemsOfSearch({ buffer: { sizeMiB: 100, intervalSeconds: 900 }, retrySeconds: 7200 }),
      [],
    );
  });

  describe("the service-linked role", () => {
    it("is refused when no domain is in a VPC", () => {
      assert.deepEqual(problemsWith({ ...search, vpc: false }, withLinkedRole), [
        "firehose-etl:network.createOpenSearchServiceLinkedRole: only an OpenSearch domain in a VPC needs the service-linked role, and no pipeline has one: remove this, got true",
      ]);
    });

    it("is refused without any OpenSearch pipeline", () => {
      const s3 = { type: "s3", buffer: { sizeMiB: 5, intervalSeconds: 60 } };
      assert.equal(problemsWith(s3, withLinkedRole).length, 1);
    });

    it("is accepted when one of the domains is in a VPC", () => {
      assert.deepEqual(
        problemsWith({ ...search, vpc: false }, (raw) => {
          withLinkedRole(raw);
          (raw.pipelines as RawConfig[]).push({ name: "private", destination: { ...search, vpc: true } });
        }),
        [],
      );
    });

    it("is not asked for by a domain outside a VPC", () => {
      assert.deepEqual(problemsOfSearch({ vpc: false }), []);
    });
  });

  describe("what it needs of the stack", () => {
    const needs = (dest: RawConfig) => needsOf(destinationSchema.parse(dest));

    it("the key through OpenSearch, and the VPC for a domain in it", () => {
      assert.deepEqual(needs(search), {
        keyServices: ["es"],
        needsNetwork: true,
        columns: [],
        recordFields: [],
      });
    });

    it("no VPC for a public domain", () => {
      assert.equal(needs({ ...search, vpc: false }).needsNetwork, false);
    });
  });
});
