import { strict as assert } from "assert";
import { FIREHOSE_REDSHIFT_CIDRS, firehoseRedshiftCidr } from "../../components/firehose-cidrs";

describe("Firehose CIDR blocks for Redshift delivery", () => {
  it("gives the developer guide's block for the region", () => {
    assert.equal(firehoseRedshiftCidr("us-east-1"), "52.70.63.192/27");
    assert.equal(firehoseRedshiftCidr("eu-west-1"), "52.19.239.192/27");
    assert.equal(firehoseRedshiftCidr("ap-southeast-3"), "108.136.221.64/27");
    assert.equal(firehoseRedshiftCidr("af-south-1"), "13.244.121.224/27");
  });

  it("holds one /27 per region, each a network address", () => {
    for (const [region, cidr] of Object.entries(FIREHOSE_REDSHIFT_CIDRS)) {
      const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/27$/.exec(cidr);
      assert.ok(match, `${region}: ${cidr}`);
      const octets = match.slice(1).map(Number);
      assert.ok(
        octets.every((o) => o <= 255),
        `${region}: ${cidr}`,
      );
      assert.equal(octets[3] % 32, 0, `${region}: ${cidr} is not the start of a /27`);
    }
    const blocks = Object.values(FIREHOSE_REDSHIFT_CIDRS);
    assert.equal(new Set(blocks).size, blocks.length, "a block listed for two regions");
  });

  it("fails naming the region when Firehose publishes no block for it", () => {
    assert.throws(
      () => firehoseRedshiftCidr("xx-nowhere-1"),
      /^Error: aws:region 'xx-nowhere-1' has no published Firehose CIDR block for Redshift delivery/,
    );
    // Not a region: a property every object inherits.
    assert.throws(() => firehoseRedshiftCidr("constructor"), /aws:region 'constructor'/);
  });
});
