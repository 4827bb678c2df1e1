import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endpoints, type AttachedNode } from '@rds-csi/contracts';
import { rejectionOf, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, VOLUMES } from './harness.js';
import { decidePublish } from '../src/rules.js';
import { planFence, type RevokedHost } from '../src/storage-fence.js';

const A = 'nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-4000-8000-000000000001';
const B = 'nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-4000-8000-000000000002';
const at = '2026-01-01T00:00:00.000Z';
const node = (nodeId: string, hostNqn?: string): AttachedNode => ({
  nodeId,
  readonly: false,
  attachedAt: at,
  ...(hostNqn ? { hostNqn } : {}),
});

describe('storage fence plan', () => {
  const table: {
    name: string;
    nodes: AttachedNode[];
    change: Parameters<typeof planFence>[1];
    revoked?: RevokedHost[];
    plan: ReturnType<typeof planFence>['kind'];
    hosts?: string[];
    keepOpen?: boolean;
    keepAdmitted?: boolean;
    revokeHostNqns?: string[];
  }[] = [
    {
      name: 'publish admits the one host',
      nodes: [node('a', A)],
      change: { kind: 'admit' },
      plan: 'apply',
      hosts: [A],
      keepOpen: false,
    },
    {
      name: 'an RWX migration admits both hosts while both are recorded',
      nodes: [node('b', B), node('a', A)],
      change: { kind: 'admit' },
      plan: 'apply',
      hosts: [A, B],
    },
    {
      name: 'a node without a host NQN cannot be admitted by name',
      nodes: [node('a')],
      change: { kind: 'admit' },
      plan: 'skip',
    },
    {
      name: 'a pair with one such node (adopted after a lost store) adds the named host to those admitted now',
      nodes: [node('a', A), node('b')],
      change: { kind: 'admit' },
      plan: 'apply',
      hosts: [A],
      keepAdmitted: true,
    },
    {
      name: 'a removal beside such a node revokes the removed node’s own host, keeping the others admitted now',
      nodes: [node('b')],
      change: { kind: 'revoke' },
      revoked: [{ nodeId: 'a', hostNqn: A }],
      plan: 'apply',
      hosts: [],
      keepOpen: true,
      keepAdmitted: true,
      revokeHostNqns: [A],
    },
    {
      name: 'beside such a node, a removed host that a recorded node names again is never revoked',
      nodes: [node('b'), node('a', A)],
      change: { kind: 'revoke' },
      revoked: [{ nodeId: 'a', hostNqn: A }],
      plan: 'skip',
    },
    {
      name: 'nor the host of a removed node recorded again without its host NQN (published unnamed since)',
      nodes: [node('b'), node('a')],
      change: { kind: 'revoke' },
      revoked: [{ nodeId: 'a', hostNqn: A }],
      plan: 'skip',
    },
    {
      name: 'a removed node whose host is unknown too cannot be revoked by name beside such a node',
      nodes: [node('b')],
      change: { kind: 'revoke' },
      plan: 'skip',
    },
    {
      name: 'a publish beside such a node takes along the revocations still owed',
      nodes: [node('b'), node('c', B)],
      change: { kind: 'admit' },
      revoked: [
        { nodeId: 'a', hostNqn: A },
        { nodeId: 'c', hostNqn: B },
      ],
      plan: 'apply',
      hosts: [B],
      keepAdmitted: true,
      revokeHostNqns: [A],
    },
    {
      name: 'with every node named the list is exact (RWO: exactly the published node), whatever was removed',
      nodes: [node('a', A)],
      change: { kind: 'admit' },
      revoked: [{ nodeId: 'b', hostNqn: B }],
      plan: 'apply',
      hosts: [A],
      keepOpen: false,
      revokeHostNqns: [],
    },
    {
      name: 'unpublishing the last named host admits no host, leaving never-restricted exports open',
      nodes: [],
      change: { kind: 'revoke' },
      plan: 'apply',
      hosts: [],
      keepOpen: true,
    },
    {
      name: 'the migration source leaving keeps only the target',
      nodes: [node('b', B)],
      change: { kind: 'revoke' },
      plan: 'apply',
      hosts: [B],
    },
    {
      name: 'removing a node never admitted by name narrows a restricted export (one restricted before a lost store)',
      nodes: [],
      change: { kind: 'revoke' },
      plan: 'apply',
      hosts: [],
      keepOpen: true,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const plan = planFence(row.nodes, row.change, row.revoked);
      assert.equal(plan.kind, row.plan, JSON.stringify(plan));
      if (plan.kind !== 'apply') return;
      if (row.hosts) assert.deepEqual(plan.allowHostNqns, row.hosts);
      if (row.keepOpen !== undefined) assert.equal(plan.keepOpen, row.keepOpen);
      assert.equal(plan.keepAdmitted, row.keepAdmitted ?? false);
      assert.deepEqual(plan.revokeHostNqns, row.revokeHostNqns ?? []);
    });
  }
});

describe('host NQNs in attachment records', () => {
  const intent = {
    volumeId: 'pvc-1',
    nodeId: 'a',
    readonly: false,
    access: 'single-node',
    volumeMode: 'filesystem',
  } as const;
  const now = new Date(at);

  it('a publish records the node’s host NQN', () => {
    const { attachment } = decidePublish(undefined, { ...intent, hostNqn: A }, now);
    assert.equal(attachment.nodes[0]?.hostNqn, A);
  });

  it('a re-publish that reports a host NQN the record lacks (adopted, Go-driver era) or a new one records it', () => {
    const adopted = decidePublish(undefined, intent, now).attachment;
    const learned = decidePublish(adopted, { ...intent, hostNqn: A }, now);
    assert.equal(learned.change.kind, 'put');
    assert.equal(learned.attachment.nodes[0]?.hostNqn, A);
    assert.equal(decidePublish(learned.attachment, { ...intent, hostNqn: A }, now).change.kind, 'keep');
    assert.equal(
      decidePublish(learned.attachment, intent, now).change.kind,
      'keep',
      'an unknown NQN forgets nothing',
    );
    assert.equal(
      decidePublish(learned.attachment, { ...intent, hostNqn: B }, now).attachment.nodes[0]?.hostNqn,
      B,
    );
  });
});

describe('storage fence setting', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats?.dispose();
  });

  it('on: a publish naming a host is not answered OK while the fence cannot be applied; off: nothing is asked', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const request = {
      volumeId: VOLUMES[0],
      nodeId: 'node-a',
      hostNqn: A,
      access: 'single-node',
      volumeMode: 'filesystem',
    } as const;
    const on = await h.startReady({ storageFence: true });
    // No rds-connector answers rds.volume.fence here.
    const refused = await rejectionOf(() => h.client.request(endpoints.attachPublish, request));
    assert.equal(refused.code, 'UNAVAILABLE');
    assert.match(refused.message, /storage fence/);
    await on.stop();

    await h.startReady({ storageFence: false }, 'reconciler-off');
    const published = await h.client.request(endpoints.attachPublish, request);
    assert.equal(published.nodes[0]?.hostNqn, A, 'recorded; the export is left as it is');
  });
});
