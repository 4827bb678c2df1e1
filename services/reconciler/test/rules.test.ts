import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attachment, NodeState } from '@rds-csi/contracts';
import { identityOf } from './harness.js';
import {
  decidePublish,
  decideStaleRemoval,
  decideUnpublish,
  judgeNode,
  planPass,
  type PublishIntent,
} from '../src/rules.js';

const VOL = 'pvc-11111111-2222-3333-4444-555555555555';
const NOW = new Date('2025-01-01T12:00:00.000Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const rwo = (nodeId: string, extra: Partial<PublishIntent> = {}): PublishIntent => ({
  volumeId: VOL,
  nodeId,
  readonly: false,
  access: 'single-node',
  volumeMode: 'filesystem',
  ...extra,
});
const rwx = (nodeId: string, extra: Partial<PublishIntent> = {}): PublishIntent =>
  rwo(nodeId, { access: 'multi-node', volumeMode: 'block', ...extra });

function published(...intents: PublishIntent[]): Attachment {
  let current: Attachment | undefined;
  for (const intent of intents) current = decidePublish(current, intent, NOW).attachment;
  assert.ok(current);
  return current;
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'OK';
};

describe('publish rules', () => {
  it('records a first publish', () => {
    const d = decidePublish(undefined, rwo('node-a'), NOW);
    assert.equal(d.change.kind, 'put');
    assert.deepEqual(d.attachment, {
      volumeId: VOL,
      access: 'single-node',
      volumeMode: 'filesystem',
      nodes: [{ nodeId: 'node-a', readonly: false, attachedAt: NOW.toISOString() }],
    });
  });

  it('is idempotent on the same node with the same capability, keeping the first attach time', () => {
    const current = published(rwo('node-a'));
    const d = decidePublish(current, rwo('node-a'), later(60));
    assert.equal(d.change.kind, 'keep');
    assert.equal(d.attachment, current);
  });

  it('fences a single-node volume: another node is FAILED_PRECONDITION', () => {
    const current = published(rwo('node-a'));
    assert.equal(
      codeOf(() => decidePublish(current, rwo('node-b'), NOW)),
      'FAILED_PRECONDITION',
    );
    assert.equal(
      codeOf(() => decidePublish(current, rwo('node-b', { readonly: true }), NOW)),
      'FAILED_PRECONDITION',
    );
    assert.equal(
      codeOf(() => decidePublish(current, rwx('node-b'), NOW)),
      'FAILED_PRECONDITION',
    );
  });

  it('refuses an incompatible re-publish on the same node with ALREADY_EXISTS', () => {
    const current = published(rwo('node-a'));
    assert.equal(
      codeOf(() => decidePublish(current, rwo('node-a', { readonly: true }), NOW)),
      'ALREADY_EXISTS',
    );
    assert.equal(
      codeOf(() => decidePublish(current, rwo('node-a', { volumeMode: 'block' }), NOW)),
      'ALREADY_EXISTS',
    );
    assert.equal(
      codeOf(() => decidePublish(current, rwx('node-a'), NOW)),
      'ALREADY_EXISTS',
    );
    const shared = published(rwx('node-a'));
    assert.equal(
      codeOf(() => decidePublish(shared, rwo('node-a', { volumeMode: 'block' }), NOW)),
      'ALREADY_EXISTS',
    );
  });

  it('refuses multi-node access to a filesystem volume with INVALID_ARGUMENT, whatever the state', () => {
    const bad = rwo('node-a', { access: 'multi-node' });
    assert.equal(
      codeOf(() => decidePublish(undefined, bad, NOW)),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => decidePublish(published(rwo('node-a')), bad, NOW)),
      'INVALID_ARGUMENT',
    );
  });

  it('allows a block volume on two nodes for live migration, with a deadline, and refuses a third', () => {
    const first = published(rwx('node-a'));
    assert.equal(first.migrationDeadline, undefined, 'no migration while on one node');
    const d = decidePublish(first, rwx('node-b', { readonly: true }), later(10));
    assert.equal(d.change.kind, 'put');
    assert.deepEqual(
      d.attachment.nodes.map((n) => [n.nodeId, n.readonly]),
      [
        ['node-a', false],
        ['node-b', true],
      ],
    );
    assert.equal(d.attachment.migrationDeadline, later(10 + 300).toISOString(), 'default timeout 300 s');
    assert.equal(
      codeOf(() => decidePublish(d.attachment, rwx('node-c'), NOW)),
      'FAILED_PRECONDITION',
    );
    assert.equal(decidePublish(d.attachment, rwx('node-b', { readonly: true }), NOW).change.kind, 'keep');
  });

  it('takes the migration timeout from the request, then from the record, then the default', () => {
    const fromRequest = decidePublish(
      published(rwx('node-a')),
      rwx('node-b', { migrationTimeoutSeconds: 60 }),
      NOW,
    );
    assert.equal(fromRequest.attachment.migrationDeadline, later(60).toISOString());
    const firstWithTimeout = published(rwx('node-a', { migrationTimeoutSeconds: 90 }));
    const fromRecord = decidePublish(firstWithTimeout, rwx('node-b'), NOW);
    assert.equal(fromRecord.attachment.migrationDeadline, later(90).toISOString());
    const fromDefault = decidePublish(published(rwx('node-a')), rwx('node-b'), NOW, 120);
    assert.equal(
      fromDefault.attachment.migrationDeadline,
      later(300).toISOString(),
      'record keeps the timeout of its first publish',
    );
    const fresh = decidePublish(undefined, rwx('node-a'), NOW, 120);
    assert.equal(fresh.attachment.migrationTimeoutSeconds, 120);
  });

  it('treats a record with no nodes like no record', () => {
    const empty: Attachment = { volumeId: VOL, access: 'single-node', volumeMode: 'block', nodes: [] };
    const d = decidePublish(empty, rwo('node-b'), NOW);
    assert.equal(d.change.kind, 'put');
    assert.equal(d.attachment.volumeMode, 'filesystem');
  });
});

describe('unpublish rules', () => {
  it('is a success for an unknown volume or node, changing nothing', () => {
    assert.deepEqual(decideUnpublish(undefined, 'node-a'), { change: { kind: 'keep' }, removed: [] });
    assert.deepEqual(decideUnpublish(published(rwo('node-a')), 'node-b'), {
      change: { kind: 'keep' },
      removed: [],
    });
  });

  it('deletes the record when its last node goes', () => {
    const d = decideUnpublish(published(rwo('node-a')), 'node-a');
    assert.deepEqual(d.change, { kind: 'delete' });
    assert.equal(d.removed[0]?.nodeId, 'node-a');
  });

  it('ends the migration window when back to one node', () => {
    const pair = published(rwx('node-a'), rwx('node-b'));
    assert.ok(pair.migrationDeadline);
    const d = decideUnpublish(pair, 'node-a');
    assert.equal(d.change.kind, 'put');
    const value = d.change.kind === 'put' ? d.change.value : undefined;
    assert.deepEqual(
      value?.nodes.map((n) => n.nodeId),
      ['node-b'],
    );
    assert.equal(value?.migrationDeadline, undefined);
    assert.equal(value?.migrationTimeoutSeconds, 300);
  });

  it('removes every node when no node is named', () => {
    const d = decideUnpublish(published(rwx('node-a'), rwx('node-b')), undefined);
    assert.deepEqual(d.change, { kind: 'delete' });
    assert.equal(d.removed.length, 2);
  });

  it('clears a stale node only when it was attached no later than the evidence', () => {
    const current = published(rwo('node-a'));
    assert.deepEqual(decideStaleRemoval(current, 'node-a', later(-1)).change, { kind: 'keep' });
    assert.deepEqual(decideStaleRemoval(current, 'node-a', NOW).change, { kind: 'delete' });
    assert.deepEqual(decideStaleRemoval(current, 'node-b', later(1)).change, { kind: 'keep' });
  });
});

describe('stale detection', () => {
  const GRACE = 30_000;
  const node = (name: string, extra: Partial<NodeState> = {}): NodeState => ({
    ...identityOf(name),
    ready: true,
    outOfService: false,
    ...extra,
  });
  const notReady = (name: string, secondsAgo: number): NodeState =>
    node(name, { ready: false, notReadySince: later(-secondsAgo).toISOString() });

  it('judges each node: missing, out-of-service, NotReady beyond or within the grace, healthy', () => {
    assert.deepEqual(judgeNode(undefined, NOW, GRACE), {
      kind: 'stale',
      reason: 'node-missing',
      why: 'node does not exist',
    });
    assert.equal(judgeNode(node('a', { outOfService: true }), NOW, GRACE).kind, 'stale');
    assert.equal(judgeNode(node('a', { outOfService: true, ready: true }), NOW, GRACE).kind, 'stale');
    const beyond = judgeNode(notReady('a', 31), NOW, GRACE);
    assert.equal(beyond.kind === 'stale' && beyond.reason, 'node-not-ready');
    const within = judgeNode(notReady('a', 10), NOW, GRACE);
    assert.equal(within.kind, 'within-grace');
    assert.equal(within.kind === 'within-grace' && within.recheckAt.toISOString(), later(21).toISOString());
    assert.equal(judgeNode(node('a', { ready: false }), NOW, GRACE).kind, 'unknown');
    assert.deepEqual(judgeNode(node('a'), NOW, GRACE), { kind: 'healthy' });
  });

  it('counts the grace from the end of the whole second lastTransitionTime names (finding 7)', () => {
    // Truncated to the second, "30 s ago" may be 29.001 s: the node is cleared only once 30 s surely passed.
    assert.equal(judgeNode(notReady('a', 30), NOW, GRACE).kind, 'within-grace');
    assert.equal(judgeNode(notReady('a', 30.999), NOW, GRACE).kind, 'within-grace');
    assert.equal(judgeNode(notReady('a', 31), NOW, GRACE).kind, 'stale');
  });

  it('plans clearances, skips and re-checks over all attachments', () => {
    const volume = (id: string, ...intents: PublishIntent[]) => ({
      ...published(...intents.map((i) => ({ ...i, volumeId: id }))),
      volumeId: id,
    });
    const attachments = [
      volume('pvc-a', rwo('gone')),
      volume('pvc-b', rwo('fenced')),
      volume('pvc-c', rwo('sick')),
      volume('pvc-d', rwo('flapping')),
      volume('pvc-e', rwo('healthy')),
      volume('pvc-f', rwx('healthy'), rwx('gone')),
    ];
    const nodes = [
      node('healthy'),
      node('fenced', { outOfService: true }),
      notReady('sick', 45),
      notReady('flapping', 5),
    ];
    const plan = planPass(attachments, nodes, NOW, GRACE);
    assert.deepEqual(
      plan.clear.map((c) => [c.volumeId, c.nodeId, c.reason]),
      [
        ['pvc-a', 'gone', 'node-missing'],
        ['pvc-b', 'fenced', 'node-out-of-service'],
        ['pvc-c', 'sick', 'node-not-ready'],
        ['pvc-f', 'gone', 'node-missing'],
      ],
    );
    assert.deepEqual(
      plan.skipped.map((s) => [s.volumeId, s.nodeId]),
      [['pvc-d', 'flapping']],
    );
    assert.deepEqual(plan.recheck, [{ nodeId: 'flapping', at: later(26) }]);
    assert.deepEqual(plan.overdueMigrations, []);
  });

  it('never clears from an empty node list', () => {
    const plan = planPass([published(rwo('node-a'))], [], NOW, GRACE);
    assert.deepEqual(plan.clear, []);
    assert.equal(plan.skipped.length, 1);
    assert.match(plan.skipped[0]?.why ?? '', /empty node list/);
  });

  it('reports an overdue migration between two live nodes without clearing either', () => {
    const pair = published(rwx('node-a'), rwx('node-b'));
    const plan = planPass([pair], [node('node-a'), node('node-b')], later(301), GRACE);
    assert.deepEqual(plan.clear, []);
    assert.deepEqual(plan.overdueMigrations, [VOL]);
    assert.deepEqual(
      plan.skipped.map((s) => s.nodeId),
      ['node-a', 'node-b'],
    );
    const inTime = planPass([pair], [node('node-a'), node('node-b')], later(299), GRACE);
    assert.deepEqual(inTime.overdueMigrations, []);
    const oneDead = planPass([pair], [node('node-b')], later(301), GRACE);
    assert.deepEqual(
      oneDead.clear.map((c) => c.nodeId),
      ['node-a'],
    );
    assert.deepEqual(oneDead.overdueMigrations, [], 'the dead node ends the migration');
  });
});
