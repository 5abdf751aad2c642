// How an estimate is printed: a table per pipeline and for the stack with findings under it, the `--json` object,
// and a Markdown comparison against another estimate (the pull request's job summary).
import { formatTable } from "../local/report";
import { Estimate, PipelineEstimate } from "./estimate";

const MIB = 1024 * 1024;
const money = (n: number) => Math.round(n * 100) / 100;
const fixed = (n: number, digits: number) => Number(n.toFixed(digits));

function meterRows(p: PipelineEstimate): (string | number)[][] {
  return p.meters.map((m) => [
    m.meter,
    fixed(m.quantity, 3),
    m.unit,
    m.quantity > 0 ? fixed(m.usd / m.quantity, 7) : 0,
    money(m.usd),
  ]);
}

/** Prices used that the table marks as assumptions, with what they are based on. */
function assumptionsOf(estimate: Estimate): string[] {
  const keys = new Set(estimate.pipelines.flatMap((p) => p.meters.map((m) => m.priceKey)));
  return [...keys].sort().flatMap((key) => {
    const note = estimate.prices.prices[key].assumption;
    return note ? [`${key}: ${note}`] : [];
  });
}

export function formatText(estimate: Estimate): string {
  const lines = [
    `Stack ${estimate.stack} (${estimate.region}): monthly estimate in USD, prices ${estimate.prices.file} (version ${estimate.prices.version})`,
  ];
  for (const p of estimate.pipelines) {
    const total = p.meters.reduce((sum, m) => sum + m.usd, 0);
    lines.push("", `${p.name}: $${money(total).toFixed(2)}/month`);
    if (p.objects.perHour > 0) {
      lines.push(
        `  objects: ${fixed(p.objects.perHour, 1)} per active hour, mean ${(p.objects.meanBytes / MIB).toFixed(2)} MiB`,
      );
    }
    lines.push(formatTable(["meter", "quantity", "unit", "USD/unit", "USD"], meterRows(p)));
  }
  lines.push("", `Total: $${money(estimate.totalUsd).toFixed(2)}/month`);
  if (estimate.findings.length > 0) {
    lines.push(
      "",
      "Findings:",
      ...estimate.findings.map((f) => `  - ${f.pipeline}: ${f.title}: ${f.detail}`),
    );
  }
  const assumptions = assumptionsOf(estimate);
  if (assumptions.length > 0) {
    lines.push(
      "",
      `${assumptions.length} prices used are assumptions (see the price table):`,
      ...assumptions.map((a) => `  - ${a}`),
    );
  }
  return lines.join("\n");
}

/** The `--json` object: `{region, pipelines: [{name, meters: [{meter, quantity, unit, usd}], objects}], totalUsd}`. */
export function toJson(estimate: Estimate): object {
  return {
    region: estimate.region,
    pipelines: estimate.pipelines.map((p) => ({
      name: p.name,
      meters: p.meters.map((m) => ({ meter: m.meter, quantity: m.quantity, unit: m.unit, usd: m.usd })),
      objects: { perHour: p.objects.perHour, meanBytes: p.objects.meanBytes },
    })),
    totalUsd: estimate.totalUsd,
  };
}

/** A Markdown section for the job summary: per pipeline cost, and the change against `base` when given. */
export function formatMarkdown(estimate: Estimate, base?: Estimate): string {
  const names = [
    ...new Set([...(base?.pipelines ?? []).map((p) => p.name), ...estimate.pipelines.map((p) => p.name)]),
  ];
  const costOf = (e: Estimate | undefined, name: string) =>
    e?.pipelines.find((p) => p.name === name)?.meters.reduce((sum, m) => sum + m.usd, 0);
  const cell = (n: number | undefined) => (n === undefined ? "—" : `$${money(n).toFixed(2)}`);
  const change = (a: number | undefined, b: number | undefined) => {
    const d = (b ?? 0) - (a ?? 0);
    return `${d >= 0 ? "+" : "−"}$${money(Math.abs(d)).toFixed(2)}`;
  };
  const header = base
    ? "| pipeline | base | this change | difference |\n|---|---:|---:|---:|"
    : "| pipeline | USD/month |\n|---|---:|";
  const row = (name: string, a: number | undefined, b: number | undefined) =>
    base ? `| ${name} | ${cell(a)} | ${cell(b)} | ${change(a, b)} |` : `| ${name} | ${cell(b)} |`;
  const rows = names.map((n) => row(n, costOf(base, n), costOf(estimate, n)));
  rows.push(row("**total**", base?.totalUsd, estimate.totalUsd));
  const objects = estimate.pipelines
    .filter((p) => p.objects.perHour > 0)
    .map(
      (p) =>
        `- \`${p.name}\`: ${fixed(p.objects.perHour, 1)} objects per active hour, mean ${(p.objects.meanBytes / MIB).toFixed(2)} MiB`,
    );
  const findings = estimate.findings.map((f) => `- \`${f.pipeline}\` **${f.title}**: ${f.detail}`);
  return [
    `### Cost estimate: stack \`${estimate.stack}\` (${estimate.region})`,
    "",
    header,
    ...rows,
    ...(objects.length > 0 ? ["", "Objects:", ...objects] : []),
    ...(findings.length > 0 ? ["", "Findings:", ...findings] : []),
  ].join("\n");
}
