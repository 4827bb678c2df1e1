/** One measured quantity of a benchmark. */
export interface Measurement {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  note?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export function latencyRows(bench: string, what: string, samplesMs: number[]): Measurement[] {
  return [
    { bench, metric: `${what} p50`, value: round(percentile(samplesMs, 50)), unit: 'ms' },
    { bench, metric: `${what} p95`, value: round(percentile(samplesMs, 95)), unit: 'ms' },
    {
      bench,
      metric: `${what} max`,
      value: round(Math.max(...samplesMs)),
      unit: 'ms',
      note: `n=${samplesMs.length}`,
    },
  ];
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Prints the measurements as an aligned table, then as one JSON document for machines. */
export function printReport(rows: Measurement[]): void {
  const header = ['bench', 'metric', 'value', 'unit', 'note'];
  const cells = rows.map((r) => [r.bench, r.metric, String(r.value), r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
  console.log();
  console.log(
    JSON.stringify({ node: process.version, at: new Date().toISOString(), results: rows }, null, 2),
  );
}
