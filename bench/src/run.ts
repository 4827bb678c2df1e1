import { benchConnector } from './connector.bench.js';
import { benchStack } from './stack.bench.js';
import { benchMemory } from './memory.bench.js';
import { printReport, type Measurement } from './report.js';

const benches: Record<string, () => Promise<Measurement[]>> = {
  connector: benchConnector,
  stack: benchStack,
  memory: benchMemory,
};

const selected = process.argv.slice(2);
const rows: Measurement[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  rows.push(...(await run()));
}
printReport(rows);
