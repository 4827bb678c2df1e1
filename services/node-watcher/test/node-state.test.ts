import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildNode, readyCondition, type KubeNode } from '@rds-csi/testkit';
import {
  OUT_OF_SERVICE_TAINT,
  continueObservation,
  deriveNode,
  essentialNode,
  isoTime,
  type ObservedNode,
} from '../src/index.js';

const observedAt = new Date('2030-01-01T00:00:00.000Z');

/** A node as the API server would send it, with identity fields filled in. */
function node(name: string, mutate: (n: KubeNode) => void = () => undefined): KubeNode {
  const n = buildNode(name);
  n.metadata.uid = `uid-${name}`;
  n.metadata.resourceVersion = '42';
  n.metadata.creationTimestamp = '2029-12-01T10:00:00Z';
  mutate(n);
  return n;
}

function setReady(n: KubeNode, status: 'True' | 'False' | 'Unknown', at: string): void {
  n.status.conditions = (n.status.conditions ?? []).filter((c) => c.type !== 'Ready');
  n.status.conditions.push({ ...readyCondition(status), lastTransitionTime: at });
}

function derive(object: unknown): ObservedNode {
  const result = deriveNode(object, observedAt);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.node;
}

describe('deriveNode', () => {
  it('reads a ready node with its identity', () => {
    assert.deepEqual(derive(node('worker-1')), {
      state: {
        name: 'worker-1',
        uid: 'uid-worker-1',
        createdAt: '2029-12-01T10:00:00.000Z',
        ready: true,
        outOfService: false,
      },
      uid: 'uid-worker-1',
      resourceVersion: '42',
    });
  });

  it('takes notReadySince from the Ready condition for False and Unknown', () => {
    for (const status of ['False', 'Unknown'] as const) {
      const state = derive(node('worker-1', (n) => setReady(n, status, '2029-12-31T23:59:00Z'))).state;
      assert.equal(state.ready, false, status);
      assert.equal(state.notReadySince, '2029-12-31T23:59:00.000Z', status);
    }
  });

  it('accepts timestamps as Date objects, as the typed list call returns them', () => {
    const n = node('worker-1');
    setReady(n, 'False', '');
    const ready = n.status.conditions?.find((c) => c.type === 'Ready') as unknown as Record<string, unknown>;
    ready.lastTransitionTime = new Date('2029-12-31T12:00:00Z');
    assert.equal(derive(n).state.notReadySince, '2029-12-31T12:00:00.000Z');
  });

  it('treats a node without a Ready condition as not ready since its creation, or since it was seen', () => {
    const noConditions = node('worker-1', (n) => delete n.status.conditions);
    assert.deepEqual(derive(noConditions).state, {
      name: 'worker-1',
      uid: 'uid-worker-1',
      createdAt: '2029-12-01T10:00:00.000Z',
      ready: false,
      outOfService: false,
      notReadySince: '2029-12-01T10:00:00.000Z',
    });
    const bare = { metadata: { name: 'worker-2', uid: 'u2' } };
    assert.deepEqual(derive(bare).state, {
      name: 'worker-2',
      uid: 'u2',
      createdAt: observedAt.toISOString(),
      ready: false,
      outOfService: false,
      notReadySince: observedAt.toISOString(),
    });
  });

  it('survives odd shapes: garbage conditions, statuses, timestamps and taints', () => {
    const odd = [
      node('w', (n) => Object.assign(n.status, { conditions: 'Ready' })),
      node('w', (n) => Object.assign(n, { status: null })),
      node('w', (n) => Object.assign(n, { status: [1, 2] })),
      node('w', (n) => (n.status.conditions = [{ type: 'Ready' } as never, null as never, 7 as never])),
      node('w', (n) => setReady(n, 'True', '')),
      node('w', (n) => (n.status.conditions = [{ ...readyCondition('True'), status: 'true' as never }])),
    ];
    const states = odd.map((o) => derive(o).state);
    assert.deepEqual(
      states.map((s) => s.ready),
      [false, false, false, false, true, false],
    );
    for (const s of states.filter((x) => !x.ready))
      assert.ok(s.notReadySince && isoTime(s.notReadySince), JSON.stringify(s));

    const badTime = node('w', (n) => setReady(n, 'False', 'yesterday'));
    assert.equal(derive(badTime).state.notReadySince, '2029-12-01T10:00:00.000Z');
    for (const taints of ['x', [null], [{ key: 5 }], {}]) {
      assert.equal(
        derive(node('w', (n) => Object.assign(n.spec, { taints }))).state.outOfService,
        false,
        JSON.stringify(taints),
      );
    }
    const metadataOdd = node('w', (n) =>
      Object.assign(n.metadata, { resourceVersion: '', creationTimestamp: 3 }),
    );
    assert.deepEqual(
      [derive(metadataOdd).resourceVersion, derive(metadataOdd).state.createdAt],
      [undefined, observedAt.toISOString()],
    );
  });

  it('sees the out-of-service taint whatever its effect or value', () => {
    for (const effect of ['NoExecute', 'NoSchedule'] as const) {
      const tainted = node(
        'w',
        (n) =>
          (n.spec.taints = [
            { key: 'other', effect },
            { key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect },
          ]),
      );
      assert.equal(derive(tainted).state.outOfService, true, effect);
    }
    assert.equal(
      derive(
        node('w', (n) => (n.spec.taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }])),
      ).state.outOfService,
      false,
    );
  });

  it('refuses objects it cannot name', () => {
    for (const object of [
      null,
      'node',
      [],
      {},
      { metadata: {} },
      { metadata: { name: '' } },
      { metadata: { name: 7 } },
      { metadata: { name: 'w' } },
      { metadata: { name: 'w', uid: 7 } },
      { metadata: { name: 'w', uid: '' } },
    ]) {
      assert.equal(deriveNode(object, observedAt).ok, false, JSON.stringify(object));
    }
    for (const name of ['Worker-1', 'worker_1', '-worker', 'a'.repeat(254), 'a..b']) {
      const result = deriveNode({ metadata: { name, uid: 'u' } }, observedAt);
      assert.ok(!result.ok && result.reason.includes('DNS-1123'), name);
    }
    assert.ok(deriveNode({ metadata: { name: 'node-1.example.com', uid: 'u' } }, observedAt).ok);
  });
});

describe('continueObservation', () => {
  const notReady = (status: 'False' | 'Unknown', at: string, uid = 'u1') =>
    derive(
      node('w', (n) => {
        setReady(n, status, at);
        n.metadata.uid = uid;
      }),
    );
  const first = notReady('False', '2029-12-31T10:00:00Z');

  it('keeps the start of an unbroken not-ready period when False turns Unknown', () => {
    const later = notReady('Unknown', '2029-12-31T10:05:00Z');
    assert.equal(continueObservation(first, later).state.notReadySince, '2029-12-31T10:00:00.000Z');
  });

  it('starts over after a ready period, for a new incarnation, or when nothing was known', () => {
    const ready = derive(node('w', (n) => (n.metadata.uid = 'u1')));
    const again = notReady('False', '2029-12-31T11:00:00Z');
    assert.equal(continueObservation(first, ready).state.notReadySince, undefined);
    assert.equal(continueObservation(ready, again).state.notReadySince, '2029-12-31T11:00:00.000Z');
    assert.equal(
      continueObservation(first, notReady('False', '2029-12-31T11:00:00Z', 'u2')).state.notReadySince,
      '2029-12-31T11:00:00.000Z',
    );
    assert.equal(continueObservation(undefined, again), again);
  });
});

describe('essentialNode', () => {
  /** Shapes deriveNode must read alike, whole or trimmed: states, times as strings and Dates, odd and broken input. */
  const shapes: [string, unknown][] = [
    ['ready', node('w')],
    ['not ready', node('w', (n) => setReady(n, 'False', '2029-12-31T10:00:00Z'))],
    ['unknown', node('w', (n) => setReady(n, 'Unknown', '2029-12-31T10:00:00Z'))],
    ['no conditions', node('w', (n) => delete n.status.conditions)],
    [
      'out of service, other taints too',
      node('w', (n) => {
        n.spec.taints = [
          { key: 'example.com/x', effect: 'NoSchedule' },
          { key: OUT_OF_SERVICE_TAINT, value: 'shutdown', effect: 'NoExecute' },
        ];
      }),
    ],
    [
      'times as Date objects',
      node('w', (n) => {
        setReady(n, 'False', '');
        Object.assign(n.status.conditions!.at(-1)!, { lastTransitionTime: new Date('2029-12-31T10:00:00Z') });
        Object.assign(n.metadata, { creationTimestamp: new Date('2029-12-01T10:00:00Z') });
      }),
    ],
    ['no uid', node('w', (n) => delete n.metadata.uid)],
    ['no name', { metadata: {} }],
    ['not an object', 'garbage'],
    ['conditions not a list', node('w', (n) => Object.assign(n.status, { conditions: 'x' }))],
  ];

  it('gives deriveNode the same answer as the whole object', () => {
    for (const [what, shape] of shapes) {
      assert.deepEqual(deriveNode(essentialNode(shape), observedAt), deriveNode(shape, observedAt), what);
    }
  });

  it('keeps identity, times, taint keys and the Ready condition, nothing else', () => {
    const whole = node('w', (n) => {
      n.metadata.labels = { big: 'x'.repeat(1000) };
      Object.assign(n.metadata, { deletionTimestamp: '2030-01-01T00:00:00Z', managedFields: [{ x: 1 }] });
      n.spec.taints = [{ key: OUT_OF_SERVICE_TAINT, value: 'shutdown', effect: 'NoExecute' }];
      Object.assign(n.status, { images: [{ names: ['a'], sizeBytes: 1 }] });
    });
    assert.deepEqual(essentialNode(whole), {
      metadata: {
        name: 'w',
        uid: 'uid-w',
        resourceVersion: '42',
        creationTimestamp: '2029-12-01T10:00:00Z',
        deletionTimestamp: '2030-01-01T00:00:00Z',
      },
      spec: { taints: [{ key: OUT_OF_SERVICE_TAINT, effect: 'NoExecute' }] },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastTransitionTime: whole.status.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime,
          },
        ],
      },
    });
  });
});
