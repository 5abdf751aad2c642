// The price table of one region: versioned data in `cost/prices/<region>.json` (or a file given with
// `--prices`), each price with the public page it came from, when it was read, and whether it is an assumption.
// Nothing is fetched at run time.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

const tier = z.strictObject({ upToGB: z.number().positive().optional(), usd: z.number().min(0) });

const price = z
  .strictObject({
    /** What one priced unit is, e.g. `GB`, `1,000 objects`. */
    unit: z.string().min(1),
    /** Base quantities per priced unit (1,000 for a price per 1,000 objects). */
    unitSize: z.number().positive().default(1),
    usd: z.number().min(0).optional(),
    /** Monthly volume tiers, cheapest last; the last tier has no upper bound. */
    tiers: z.array(tier).min(1).optional(),
    source: z.url(),
    read: z.string().min(1),
    evidence: z.string().optional(),
    /** Set when the figure was not confirmed for this region: says what it is based on. */
    assumption: z.string().optional(),
  })
  .refine((p) => (p.usd === undefined) !== (p.tiers === undefined), "must have exactly one of usd and tiers");

const priceTableSchema = z.strictObject({
  version: z.string().min(1),
  region: z.string().min(1),
  currency: z.literal("USD"),
  prices: z.record(z.string(), price),
});

export type Price = z.output<typeof price>;
export type PriceTable = z.output<typeof priceTableSchema> & { readonly file: string };

export const PRICES_DIR = path.join(__dirname, "prices");

/** Regions with a committed price table. */
export function pricedRegions(): string[] {
  return fs
    .readdirSync(PRICES_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** The price table for `region`: the committed one, or `file` when given (its region must match). */
export function loadPriceTable(region: string, file?: string): PriceTable {
  const source = file ?? path.join(PRICES_DIR, `${region}.json`);
  if (!file && !pricedRegions().includes(region)) {
    throw new Error(
      `no price table for region '${region}' (committed: ${pricedRegions().join(", ")}); pass --prices <file>`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(source, "utf8"));
  } catch (err) {
    throw new Error(`${source}: cannot read a price table: ${err instanceof Error ? err.message : err}`);
  }
  const parsed = priceTableSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${source}: invalid price table:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  if (parsed.data.region !== region) {
    throw new Error(
      `${source}: prices are for region '${parsed.data.region}', but the stack is in '${region}'`,
    );
  }
  return { ...parsed.data, file: source };
}

/** The price called `key`; throws naming the key and the file when the table has none. */
export function priceOf(table: PriceTable, key: string): Price {
  const found = table.prices[key];
  if (!found) throw new Error(`${table.file}: no price '${key}' (add it, or pass --prices <file> with it)`);
  return found;
}

/** Cost in USD of `quantity` base units (GB, objects, hours) at `price`, walking its tiers. */
export function costOf(price: Price, quantity: number): number {
  if (price.usd !== undefined) return (quantity / price.unitSize) * price.usd;
  let usd = 0;
  let from = 0;
  for (const t of price.tiers ?? []) {
    const to = t.upToGB ?? Infinity;
    if (quantity > from) usd += ((Math.min(quantity, to) - from) / price.unitSize) * t.usd;
    from = to;
  }
  return usd;
}
