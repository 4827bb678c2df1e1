import { benchConnector } from './connector.bench.js';
import { benchStack } from './stack.bench.js';
import { benchLifecycle } from './lifecycle.bench.js';
import { benchScale } from './scale.bench.js';
import { printReport, type Measurement } from './report.js';

const benches: Record<string, () => Promise<Measurement[]>> = {
  connector: benchConnector,
  stack: benchStack,
  lifecycle: benchLifecycle,
  scale: benchScale,
};

const selected = process.argv.slice(2);
const rows: Measurement[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  rows.push(...(await run()));
}
printReport(rows);
