/**
 * Runs many fence-model schedules:
 *   npm run test:model -- --runs 200 [--seed=S --path=P] [--max-steps N] [--no-store-loss] [--replicas-stay-down]
 *     [--schedule '<json as printed>' (first; repeatable)]
 * Prints each schedule, then how many ran and the seed; exits 1 with the replay command when one fails.
 */
import { parseArgs } from 'node:util';
import { checkFenceModel } from './fence-model.js';
import { REGRESSIONS } from './regressions.js';
import type { Schedule } from './schedule.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'max-steps': { type: 'string' },
    schedule: { type: 'string', multiple: true },
    'no-store-loss': { type: 'boolean', default: false },
    'replicas-stay-down': { type: 'boolean', default: false },
  },
});

const begin = Date.now();
const result = await checkFenceModel({
  runs: Number(values.runs),
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  ...(values.path !== undefined ? { path: values.path } : {}),
  ...(values['max-steps'] !== undefined ? { maxSteps: Number(values['max-steps']) } : {}),
  includeStoreLoss: !values['no-store-loss'],
  // The regressions first, as in npm test, so the seed and path of a failure there replay here.
  examples: [...REGRESSIONS, ...(values.schedule ?? []).map((json) => JSON.parse(json) as Schedule)],
  replicasStayDown: values['replicas-stay-down'],
  onSchedule: (summary) => console.error(summary),
});
console.error(
  `${result.runs} schedules ran in ${Math.round((Date.now() - begin) / 1000)} s, seed ${result.seed}`,
);
if (result.failure) {
  console.error(`FAILED: ${result.failure.message}`);
  console.error(`schedule: ${JSON.stringify(result.failure.schedule)}`);
  const flags = ['no-store-loss', 'replicas-stay-down'] as const;
  const extra = flags.flatMap((flag) => (values[flag] ? [` --${flag}`] : [])).join('');
  console.error(`replay: npm run test:model -- --seed=${result.seed} --path=${result.failure.path}${extra}`);
  process.exit(1);
}
process.exit(0);
