// One line of an estimate: a meter AWS bills, its monthly quantity in the price's unit, and its cost.
import { PriceTable, costOf, priceOf } from "./price-table";

/** Hours in a month, as AWS's pricing calculator counts them. */
export const HOURS_PER_MONTH = 730;
/** Firehose, Kinesis, S3 and CloudWatch count a GB as 2^30 bytes (Firehose's example: 1,048,576 KB per GB). */
export const GB = 1024 ** 3;

export interface Meter {
  readonly meter: string;
  /** Monthly quantity in `unit`. */
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
  /** The price-table key it was priced with. */
  readonly priceKey: string;
}

/** Prices `baseQuantity` (GB, objects, hours: the price's base unit) with the table's `priceKey`. */
export function priced(table: PriceTable, meter: string, priceKey: string, baseQuantity: number): Meter {
  const price = priceOf(table, priceKey);
  return {
    meter,
    quantity: baseQuantity / price.unitSize,
    unit: price.unit,
    usd: costOf(price, baseQuantity),
    priceKey,
  };
}
