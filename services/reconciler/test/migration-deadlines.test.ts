import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attachment } from '@rds-csi/contracts';
import { MigrationDeadlines } from '../src/migration-deadlines.js';
import { VOLUMES } from './harness.js';

const [VOL_A, VOL_B] = VOLUMES;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function pair(volumeId: string, deadlineMs: number, nodes = ['node-a', 'node-b']): Attachment {
  return {
    volumeId,
    access: 'multi-node',
    volumeMode: 'block',
    nodes: nodes.map((nodeId) => ({ nodeId, readonly: false, attachedAt: new Date(T0).toISOString() })),
    migrationTimeoutSeconds: 60,
    migrationDeadline: new Date(deadlineMs).toISOString(),
  };
}

describe('overdue migrations', () => {
  it('reports a pair overdue when its deadline passes, on a timer, and forgets it when it is back to one node (finding 8)', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
    const reported: number[] = [];
    const deadlines = new MigrationDeadlines((overdue) => reported.push(overdue));
    deadlines.reset([pair(VOL_A, T0 + 60_000), pair(VOL_B, T0 + 120_000)]);
    assert.deepEqual(reported, [0]);

    t.mock.timers.tick(60_000);
    assert.deepEqual(reported, [0], 'not before the deadline');
    t.mock.timers.tick(1);
    assert.deepEqual(reported, [0, 1], 'overdue right after its deadline, without a pass');
    assert.deepEqual(deadlines.overdue(), [VOL_A]);

    t.mock.timers.tick(60_000);
    assert.deepEqual(reported.at(-1), 2);
    deadlines.change(VOL_A, pair(VOL_A, T0 + 60_000, ['node-b']));
    assert.deepEqual(reported.at(-1), 1, 'a pair back to one node is not a migration');
    deadlines.change(VOL_B, undefined);
    assert.deepEqual(reported.at(-1), 0);
    deadlines.stop();
  });
});
