import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeEvent, NodeSnapshot } from '@rds-csi/contracts';
import { buildNode, readyCondition, type KubeNode } from '@rds-csi/testkit';
import {
  NodeTracker,
  OUT_OF_SERVICE_TAINT,
  announcedFromStream,
  diffNode,
  deriveNode,
  type Announced,
  type Observation,
  type StoredNodeEvent,
  type Transition,
} from '../src/index.js';

const now = new Date('2030-01-01T00:00:00.000Z');
let revision = 100;

/** A Node object revision, as the API server would send it: every change gets a new resourceVersion. */
function node(
  name: string,
  change: { ready?: 'True' | 'False' | 'Unknown'; since?: string; oos?: boolean; uid?: string } = {},
): KubeNode {
  const n = buildNode(name);
  n.metadata.uid = change.uid ?? `uid-${name}`;
  n.metadata.resourceVersion = String(++revision);
  n.metadata.creationTimestamp = '2029-12-01T00:00:00Z';
  n.status.conditions = [
    { ...readyCondition(change.ready ?? 'True'), lastTransitionTime: change.since ?? '2029-12-01T00:00:00Z' },
  ];
  if (change.oos) n.spec.taints = [{ key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect: 'NoExecute' }];
  return n;
}

const summary = (transitions: readonly Transition[]) =>
  transitions.map(
    (t) => `${t.event.kind} ${t.event.node}${t.event.notReadySince ? ` ${t.event.notReadySince}` : ''}`,
  );

/** A tracker that has synced and read an (empty unless given) stream. */
function liveTracker(
  nodes: KubeNode[] = [],
  announced = new Map<string, Announced>(),
): { tracker: NodeTracker; initial: Transition[] } {
  const tracker = new NodeTracker();
  for (const n of nodes) tracker.upsert(n, now);
  const initial = [...tracker.markSynced(now), ...tracker.setAnnounced(announced, now)];
  return { tracker, initial };
}

function transitionsOf(observation: Observation): Transition[] {
  assert.ok(observation.ok, observation.ok ? '' : observation.reason);
  return observation.transitions;
}

const upsert = (tracker: NodeTracker, object: unknown): string[] =>
  summary(transitionsOf(tracker.upsert(object, now)));
const remove = (tracker: NodeTracker, object: unknown): string[] =>
  summary(transitionsOf(tracker.remove(object, now)));

describe('NodeTracker', () => {
  it('publishes nothing before the cache synced and the stream was read, then the whole difference at once', () => {
    const tracker = new NodeTracker();
    assert.deepEqual(upsert(tracker, node('a')), []);
    assert.deepEqual(
      upsert(tracker, node('b', { ready: 'False', since: '2029-12-31T00:00:00Z', oos: true })),
      [],
    );
    assert.deepEqual(tracker.setAnnounced(new Map(), now), [], 'not synced yet');
    assert.equal(tracker.isSynced, false);
    const initial = tracker.markSynced(now);
    assert.deepEqual(summary(initial), [
      'ready a',
      'not-ready b 2029-12-31T00:00:00.000Z',
      'out-of-service b',
    ]);
    assert.deepEqual(tracker.markSynced(now), [], 'only the first sync');
    for (const t of initial) assert.ok(NodeEvent.safeParse(t.event).success);
  });

  it('waits for the stream when the cache syncs first', () => {
    const tracker = new NodeTracker();
    tracker.upsert(node('a'), now);
    assert.deepEqual(tracker.markSynced(now), []);
    assert.deepEqual(upsert(tracker, node('b')), []);
    assert.deepEqual(summary(tracker.setAnnounced(new Map(), now)), ['ready a', 'ready b']);
  });

  it('publishes nothing for re-lists and heartbeats that change nothing relevant', () => {
    const { tracker } = liveTracker([node('a'), node('b', { ready: 'False' })]);
    assert.deepEqual(upsert(tracker, node('a')), []);
    assert.deepEqual(upsert(tracker, node('b', { ready: 'False' })), []);
    const labelled = node('a');
    labelled.metadata.labels = { changed: 'yes' };
    assert.deepEqual(upsert(tracker, labelled), []);
  });

  it('publishes each readiness transition once, with when the node went not ready', () => {
    const { tracker } = liveTracker([node('a')]);
    assert.deepEqual(upsert(tracker, node('a', { ready: 'False', since: '2030-01-01T00:00:00Z' })), [
      'not-ready a 2030-01-01T00:00:00.000Z',
    ]);
    assert.deepEqual(upsert(tracker, node('a', { ready: 'False', since: '2030-01-01T00:00:00Z' })), []);
    assert.deepEqual(
      upsert(tracker, node('a', { ready: 'Unknown', since: '2030-01-01T00:01:00Z' })),
      [],
      'False -> Unknown',
    );
    assert.equal(
      tracker.snapshot()[0]?.notReadySince,
      '2030-01-01T00:00:00.000Z',
      'the not-ready period started at False',
    );
    assert.deepEqual(upsert(tracker, node('a', { since: '2030-01-01T00:02:00Z' })), ['ready a']);
    assert.deepEqual(upsert(tracker, node('a', { ready: 'Unknown', since: '2030-01-01T00:03:00Z' })), [
      'not-ready a 2030-01-01T00:03:00.000Z',
    ]);
  });

  it('announces the out-of-service taint when it appears, again only after it was removed', () => {
    const { tracker } = liveTracker([node('a')]);
    assert.deepEqual(upsert(tracker, node('a', { oos: true })), ['out-of-service a']);
    assert.deepEqual(upsert(tracker, node('a', { oos: true, ready: 'False' })), [
      'not-ready a 2029-12-01T00:00:00.000Z',
    ]);
    assert.deepEqual(upsert(tracker, node('a', { oos: true, ready: 'False' })), []);
    assert.deepEqual(upsert(tracker, node('a', { ready: 'False' })), []);
    assert.equal(tracker.snapshot()[0]?.outOfService, false);
    assert.deepEqual(upsert(tracker, node('a', { oos: true, ready: 'False' })), ['out-of-service a']);
  });

  it('announces a deletion once, and ignores a late delete of an older incarnation', () => {
    const { tracker } = liveTracker([node('a'), node('b')]);
    assert.deepEqual(remove(tracker, node('a')), ['deleted a']);
    assert.deepEqual(remove(tracker, node('a')), []);
    const recreated = transitionsOf(tracker.upsert(node('b', { uid: 'uid-b2' }), now));
    assert.deepEqual(summary(recreated), ['deleted b', 'ready b'], 'a missed delete and re-create');
    assert.deepEqual(
      recreated.map((t) => t.event.uid),
      ['uid-b', 'uid-b2'],
      'each event names the object it describes',
    );
    assert.deepEqual(remove(tracker, node('b')), [], 'delete of the old uid');
    assert.deepEqual(
      tracker.snapshot().map((s) => s.name),
      ['b'],
    );
  });

  it('ignores malformed objects without disturbing what it knows', () => {
    const { tracker } = liveTracker([node('a')]);
    const result = tracker.upsert({ metadata: { name: 'Not_A_Name' } }, now);
    assert.equal(result.ok, false);
    assert.equal(tracker.remove({ spec: {} }, now).ok, false);
    assert.deepEqual(
      tracker.snapshot().map((s) => s.name),
      ['a'],
    );
  });

  it('serves a snapshot sorted by name that satisfies the contract', () => {
    const { tracker } = liveTracker([node('c'), node('a', { ready: 'False' }), node('b', { oos: true })]);
    const snapshot = tracker.snapshot();
    assert.deepEqual(
      snapshot.map((s) => s.name),
      ['a', 'b', 'c'],
    );
    assert.ok(
      NodeSnapshot.safeParse({ nodes: snapshot, syncedAt: now.toISOString(), currentAt: now.toISOString() })
        .success,
    );
  });

  it('gives every transition its own message ID, the same one for the same object revision', () => {
    const { tracker, initial } = liveTracker([node('a'), node('b', { oos: true })]);
    const later = [
      node('a', { ready: 'False', since: '2030-01-01T00:00:00Z' }),
      node('a', { since: '2030-01-01T00:01:00Z' }),
    ].flatMap((n) => transitionsOf(tracker.upsert(n, now)));
    const ids = [...initial, ...later].map((t) => t.msgId);
    assert.equal(new Set(ids).size, ids.length, ids.join());

    // Two watchers (replicas, or one before and after a restart) seeing the same revision publish the same IDs.
    const object = node('z', { ready: 'False' });
    const idsOf = () => transitionsOf(liveTracker().tracker.upsert(object, new Date())).map((t) => t.msgId);
    assert.deepEqual(idsOf(), idsOf());
  });
});

describe('restart against the stream', () => {
  const stored = (
    kind: StoredNodeEvent['event']['kind'],
    name: string,
    extra: Partial<StoredNodeEvent['event']> = {},
    uid?: string,
  ): StoredNodeEvent => ({
    event: { v: 1, kind, node: name, at: now.toISOString(), ...extra },
    uid: uid ?? `uid-${name}`,
  });

  it('folds the last event per subject, in stream order, into what was announced', () => {
    const view = announcedFromStream([
      stored('out-of-service', 'a'),
      stored('not-ready', 'a', { notReadySince: '2029-12-31T00:00:00.000Z' }),
      stored('ready', 'b'),
      stored('deleted', 'b'),
      stored('ready', 'c', {}, 'old'),
      stored('deleted', 'c', {}, 'old'),
      stored('ready', 'c', {}, 'new'),
      stored('out-of-service', 'd'),
      stored('ready', 'e', {}, 'e1'),
      stored('not-ready', 'e', { notReadySince: '2029-12-31T00:00:00.000Z' }, 'e2'),
    ]);
    assert.deepEqual(Object.fromEntries(view), {
      a: { uid: 'uid-a', ready: false, notReadySince: '2029-12-31T00:00:00.000Z', outOfService: true },
      c: { uid: 'new', ready: true, notReadySince: undefined, outOfService: false },
      d: { uid: 'uid-d', ready: undefined, notReadySince: undefined, outOfService: true },
      e: { uid: 'e2', ready: false, notReadySince: '2029-12-31T00:00:00.000Z', outOfService: false },
    });
  });

  it('re-announces nothing that the stream already says', () => {
    const nodes = [node('a'), node('b', { ready: 'False', since: '2029-12-31T00:00:00Z', oos: true })];
    const first = liveTracker(nodes).initial;
    const view = announcedFromStream(first.map((t) => ({ event: t.event, uid: t.uid })));
    assert.deepEqual(liveTracker(nodes, view).initial, []);
  });

  it('announces exactly what changed while the watcher was down', () => {
    const before = [
      node('a'),
      node('b'),
      node('c'),
      node('d'),
      node('e', { ready: 'False', since: '2029-12-31T00:00:00Z' }),
    ];
    const view = announcedFromStream(
      liveTracker(before).initial.map((t) => ({ event: t.event, uid: t.uid })),
    );
    const after = [
      node('a'),
      node('b', { ready: 'False', since: '2030-01-01T00:00:00Z' }),
      node('d', { uid: 'uid-d2' }),
      node('e', { ready: 'Unknown', since: '2029-12-31T06:00:00Z' }),
      node('f', { oos: true }),
    ];
    assert.deepEqual(summary(liveTracker(after, view).initial), [
      'not-ready b 2030-01-01T00:00:00.000Z',
      'deleted c',
      'deleted d',
      'ready d',
      // Not ready since another time: it was ready in between, unseen; the grace period restarts.
      'not-ready e 2029-12-31T06:00:00.000Z',
      'ready f',
      'out-of-service f',
    ]);
  });

  it('diffNode announces readiness that aged out of the stream', () => {
    const observed = deriveNode(node('a', { oos: true }), now);
    assert.ok(observed.ok);
    const result = diffNode(
      'a',
      { uid: 'uid-a', ready: undefined, notReadySince: undefined, outOfService: true },
      observed.node,
      now,
    );
    assert.deepEqual(summary(result.transitions), ['ready a']);
  });
});
