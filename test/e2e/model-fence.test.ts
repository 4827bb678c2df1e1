/**
 * Issue 8's model-based proof in `npm test`: a bounded number of random schedules (MODEL_RUNS, default 15) through
 * the real reconciler replicas, node-watcher, rds-connector and RDS simulator (test/model). Many more run with
 * `npm run test:model -- --runs N` (random seeds); a failure prints its seed and path, and `--seed=S --path=P`
 * replays it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFenceModel } from '../model/fence-model.js';
import { REGRESSIONS } from '../model/regressions.js';

const RUNS = Number(process.env.MODEL_RUNS ?? 15);
/** A fixed seed keeps `npm test` reproducible; MODEL_SEED=S picks another, MODEL_SEED=random a fresh one. */
const SEED = process.env.MODEL_SEED === 'random' ? undefined : Number(process.env.MODEL_SEED ?? 20261202);

describe('the fence model (fast-check schedules against the real services)', () => {
  it('keeps RWO single-writer, never clears a live attachment, and clears every stale one in bound', async (t) => {
    const result = await checkFenceModel({
      runs: RUNS,
      examples: REGRESSIONS,
      ...(SEED !== undefined ? { seed: SEED } : {}),
      onSchedule: (summary) => t.diagnostic(summary),
    });
    t.diagnostic(`${result.runs} schedules ran, seed ${result.seed}`);
    assert.equal(
      result.failure,
      undefined,
      result.failure &&
        `${result.failure.message}\nreplay: npm run test:model -- --seed=${result.seed} --path=${result.failure.path}` +
          `\nschedule: ${JSON.stringify(result.failure.schedule)}`,
    );
    assert.equal(result.runs, RUNS);
  });
});
