import * as assert from "node:assert/strict";
import { PutQuota } from "../../local/put-quota";

describe("local: Direct PUT throughput quota", () => {
  const realNow = Date.now;
  let clock = 0;
  beforeEach(() => {
    clock = 1_700_000_000_000;
    Date.now = () => clock;
  });
  afterEach(() => {
    Date.now = realNow;
  });

  it("allows a burst of one second's worth at once, and not a byte more", () => {
    const quota = new PutQuota(1000);
    assert.equal(quota.take(600), true);
    assert.equal(quota.take(400), true);
    assert.equal(quota.take(1), false);
  });

  it("refuses a record larger than what is left without taking from the quota", () => {
    const quota = new PutQuota(1000);
    assert.equal(quota.take(1001), false);
    assert.equal(quota.take(1000), true);
  });

  it("refills at the rate per second, in proportion to the time passed", () => {
    const quota = new PutQuota(1000);
    assert.equal(quota.take(1000), true);
    clock += 500;
    assert.equal(quota.take(501), false);
    assert.equal(quota.take(500), true);
    assert.equal(quota.take(1), false);
    clock += 1;
    assert.equal(quota.take(2), false);
    assert.equal(quota.take(1), true);
  });

  it("refills the time since the last take only once", () => {
    const quota = new PutQuota(1000);
    assert.equal(quota.take(1000), true);
    clock += 500;
    assert.equal(quota.take(250), true);
    assert.equal(quota.take(251), false);
    assert.equal(quota.take(250), true);
  });

  it("counts the time since it was created", () => {
    const quota = new PutQuota(1000);
    clock += 250;
    assert.equal(quota.take(1000), true);
    clock += 250;
    assert.equal(quota.take(251), false);
    assert.equal(quota.take(250), true);
  });

  it("saves up no more than one second's worth while idle", () => {
    const quota = new PutQuota(1000);
    clock += 10_000;
    assert.equal(quota.take(1001), false);
    assert.equal(quota.take(1000), true);
    assert.equal(quota.take(1), false);
  });
});
