import * as assert from "node:assert/strict";
import { SampleKind, sampleEvent, sampleEvents } from "../../local/sample-workload";

const AT = Date.UTC(2026, 5, 1, 12, 0, 0);

/** A generator that returns `values` in turn. */
function scripted(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe("local: the sample workload", () => {
  it("is the same for the same seed and time, and differs for another seed", () => {
    const a = sampleEvents(300, 5, AT);
    assert.deepEqual(sampleEvents(300, 5, AT), a);
    assert.notDeepEqual(sampleEvents(300, 6, AT), a);
    assert.deepEqual(sampleEvents(50, undefined, AT), sampleEvents(50, 42, AT));
    assert.deepEqual(sampleEvents(0, 1, AT), []);
  });

  it("draws each field of an event from the generator", () => {
    // user 0.5 -> 2500, action 0.99 -> purchase, id, amount 0.123456 -> 24.69, ts 0.5 -> 30 s before,
    // page 0.3 -> /search, session id, device 0.7 -> tablet, country roll 0.06 -> present, country 0.
    const next = scripted([0.5, 0.99, 0.25, 0.123456, 0.5, 0.3, 0.5, 0.7, 0.06, 0]);
    assert.deepEqual(sampleEvent(next, 37, AT), {
      event_id: `e-00000011-${Math.floor(0.25 * 1e9).toString(36)}`,
      user_id: "u-02500",
      email: "u-02500@example.com",
      action: "purchase",
      amount: 24.69,
      ts: new Date(AT - 30_000).toISOString(),
      page: "/search",
      session: { id: `s-${Math.floor(0.5 * 1e12).toString(36)}`, device: "tablet" },
      user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
      country: "DE",
    });
  });

  it("an event that is not a purchase has amount 0 and draws no amount", () => {
    // user, action 0 -> page_view, id, ts, page, session, device, country roll 0.05 -> no country.
    const values = [0, 0, 0, 0.999, 0.999, 0, 0.999, 0.05];
    const event = sampleEvent(scripted(values), 0, AT);
    assert.equal(event.action, "page_view");
    assert.equal(event.amount, 0);
    assert.equal(event.event_id, "e-00000000-0");
    assert.equal(event.user_id, "u-00000");
    assert.equal(event.ts, new Date(AT - 59_940).toISOString());
    assert.equal(event.page, "/checkout");
    assert.deepEqual(event.session, { id: "s-0", device: "tablet" });
    assert.equal("country" in event, false);
  });

  it("the last country is lower-case fr, the last action purchase", () => {
    const event = sampleEvent(scripted([0, 0.9999, 0, 0, 0, 0, 0, 0, 0.9, 0.9999]), 1, AT);
    assert.equal(event.country, "fr");
    assert.equal(event.action, "purchase");
  });

  it("mixes in each kind of record the table must not get, by roll", () => {
    const counts = new Map<SampleKind, number>();
    const records = sampleEvents(20_000, 11, AT);
    for (const r of records) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    const share = (kind: SampleKind) => (counts.get(kind) ?? 0) / records.length;
    assert.ok(Math.abs(share("healthcheck") - 0.03) < 0.005, `healthcheck ${share("healthcheck")}`);
    assert.ok(Math.abs(share("invalid-json") - 0.01) < 0.003, `invalid-json ${share("invalid-json")}`);
    for (const kind of ["not-an-object", "bad-utf8", "bad-amount"] as const) {
      assert.ok(Math.abs(share(kind) - 0.005) < 0.002, `${kind} ${share(kind)}`);
    }
    assert.ok(Math.abs(share("event") - 0.945) < 0.01, `event ${share("event")}`);
  });

  it("each kind of record has its own shape", () => {
    const records = sampleEvents(3000, 11, AT);
    const first = (kind: SampleKind) => {
      const i = records.findIndex((r) => r.kind === kind);
      return { i, text: records[i].data.toString("utf8"), data: records[i].data };
    };
    assert.equal(first("healthcheck").text, '{"action":"healthcheck","source":"lb"}\n');
    const invalid = first("invalid-json");
    assert.equal(invalid.text, `{"event_id": "e-${invalid.i}", "action": `);
    const notObject = first("not-an-object");
    assert.equal(notObject.text, `[${notObject.i},"not","an","object"]\n`);
    assert.deepEqual(
      [...first("bad-utf8").data],
      [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d],
    );
    const badAmount = JSON.parse(first("bad-amount").text) as Record<string, unknown>;
    assert.equal(badAmount.amount, "n/a");
    assert.match(String(badAmount.event_id), /^e-/);
    const event = first("event").text;
    assert.ok(event.endsWith("}\n"));
    const parsed = JSON.parse(event) as Record<string, unknown>;
    assert.equal(typeof parsed.amount, "number");
    assert.ok(Buffer.byteLength(event) >= 250 && Buffer.byteLength(event) <= 300, event);
  });
});
