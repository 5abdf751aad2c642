// What the local commands print: aligned tables, objects written per prefix, failures by reason.
import { WrittenObject } from "./delivery-stream";

/** An aligned text table; numbers are right-aligned. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((row) => row.map(cellText));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((row) => row[i].length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => isNumber(row[i])));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...text.map(line)].join("\n");
}

function isNumber(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint";
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "object" && !(value instanceof Date))
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v));
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Objects, records and bytes per evaluated prefix (the key up to its last `/`), data prefixes first. */
export function objectsByPrefix(written: readonly WrittenObject[]): (string | number)[][] {
  const groups = new Map<string, { kind: string; objects: number; records: number; bytes: number }>();
  for (const object of written) {
    const prefix = object.key.slice(0, object.key.lastIndexOf("/") + 1);
    const group = groups.get(prefix) ?? { kind: object.kind, objects: 0, records: 0, bytes: 0 };
    group.objects++;
    group.records += object.records;
    group.bytes += object.bytes;
    groups.set(prefix, group);
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => x.kind.localeCompare(y.kind) || a.localeCompare(b))
    .map(([prefix, g]) => [prefix, g.objects, g.records, g.bytes]);
}

/** Failures by `<error output type> <error code>`, most frequent first. */
export function failuresByReason(failures: ReadonlyMap<string, number>): (string | number)[][] {
  return [...failures.entries()]
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => {
      const [type, code] = reason.split(" ");
      return [type, code, count];
    });
}

/**
 * Bytes in against bytes written to data objects, the ratio the cost estimate's object model uses for the
 * stream's format and compression (`npm run cost` takes it as `bytesWrittenRatio`).
 */
export function bytesWrittenLine(receivedBytes: number, written: readonly WrittenObject[]): string {
  const out = written.filter((o) => o.kind === "data").reduce((sum, o) => sum + o.bytes, 0);
  const ratio = receivedBytes > 0 ? (out / receivedBytes).toFixed(2) : "n/a";
  return `Bytes: ${receivedBytes} in, ${out} written to data objects (bytesWrittenRatio ${ratio})`;
}
