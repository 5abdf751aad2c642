// The sample events `npm start` sends: realistic clickstream events (deterministic for a seed) with a share of
// records that must not reach the table: invalid JSON, JSON that is not an object, bytes that are not UTF-8,
// health checks the transform drops, and amounts that are not numbers (Parquet conversion rejects them).
import { seededRandom } from "./seeded-random";

export type SampleKind =
  "event" | "healthcheck" | "invalid-json" | "not-an-object" | "bad-utf8" | "bad-amount";

export interface SampleRecord {
  readonly kind: SampleKind;
  readonly data: Buffer;
}

const COUNTRIES = ["DE", "FR", "GB", "NL", "ES", "IT", "SE", "PL", "US", "de", "fr"];
const ACTIONS = ["page_view", "page_view", "page_view", "click", "click", "add_to_cart", "purchase"];

/** One realistic event (250-300 bytes of JSON with its newline). */
export function sampleEvent(next: () => number, i: number, at: number): Record<string, unknown> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const user = `u-${String(Math.floor(next() * 5000)).padStart(5, "0")}`;
  const action = pick(ACTIONS);
  const event: Record<string, unknown> = {
    event_id: `e-${i.toString(36).padStart(8, "0")}-${Math.floor(next() * 1e9).toString(36)}`,
    user_id: user,
    email: `${user}@example.com`,
    action,
    amount: action === "purchase" ? Math.round(next() * 20000) / 100 : 0,
    ts: new Date(at - Math.floor(next() * 60_000)).toISOString(),
    page: pick(["/", "/search", "/product/42", "/cart", "/checkout"]),
    session: {
      id: `s-${Math.floor(next() * 1e12).toString(36)}`,
      device: pick(["mobile", "desktop", "tablet"]),
    },
    user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
  };
  // Some producers send no country (the transform then writes ZZ), some lower-case it.
  if (next() > 0.05) event.country = pick(COUNTRIES);
  return event;
}

export function sampleEvents(count: number, seed = 42, at = Date.now()): SampleRecord[] {
  const next = seededRandom(seed);
  const records: SampleRecord[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const json = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);
    if (roll < 0.03)
      records.push({ kind: "healthcheck", data: json({ action: "healthcheck", source: "lb" }) });
    else if (roll < 0.04)
      records.push({ kind: "invalid-json", data: Buffer.from(`{"event_id": "e-${i}", "action": `) });
    else if (roll < 0.045) records.push({ kind: "not-an-object", data: json([i, "not", "an", "object"]) });
    else if (roll < 0.05)
      records.push({
        kind: "bad-utf8",
        data: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      });
    else if (roll < 0.055)
      records.push({ kind: "bad-amount", data: json({ ...sampleEvent(next, i, at), amount: "n/a" }) });
    else records.push({ kind: "event", data: json(sampleEvent(next, i, at)) });
  }
  return records;
}
