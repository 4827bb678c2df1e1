import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rejectionOf } from '@rds-csi/testkit';
import { Kvm } from '@nats-io/kv';
import type { Attachment } from '@rds-csi/contracts';
import {
  adoptionPlan,
  kubernetesAttachments,
  type AttachedVolume,
  type VolumeShape,
} from '../src/adoption.js';
import { Harness, VOLUMES, withKubernetes } from './harness.js';

const DRIVER = 'rds.csi.srvlab.io';
const [VOL_A, VOL_B, VOL_C, VOL_D] = VOLUMES;
const since = '2026-01-01T00:00:00.000Z';
const va = (pv: string, node: string, extra: Partial<AttachedVolume> = {}): AttachedVolume => ({
  attacher: DRIVER,
  nodeName: node,
  persistentVolumeName: pv,
  attached: true,
  since,
  ...extra,
});
const shape = (handle: string, extra: Partial<VolumeShape> = {}): VolumeShape => ({
  driver: DRIVER,
  volumeHandle: handle,
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'filesystem',
  ...extra,
});

describe('adopting attachments Kubernetes records', () => {
  const volumes = new Map([
    ['pv-a', shape(VOL_A)],
    ['pv-b', shape(VOL_B, { accessModes: ['ReadWriteMany'], volumeMode: 'block' })],
    ['pv-c', shape(VOL_C)],
    ['pv-other', shape(VOL_D, { driver: 'other.csi.example.com' })],
  ]);

  it('reads attached volumes of this driver, and only those; a volume being attached counts when none is attached', () => {
    const found = kubernetesAttachments(
      DRIVER,
      [
        va('pv-a', 'node-a'),
        va('pv-b', 'node-a'),
        va('pv-b', 'node-b'),
        va('pv-c', 'node-c', { attached: false }),
        va('pv-c', 'node-d', { attached: false, deleting: true }),
        va('pv-a', 'node-z', { attached: false }),
        va('pv-a', 'node-y', { attacher: 'other.csi.example.com' }),
        va('pv-other', 'node-a'),
        va('pv-missing', 'node-a'),
      ],
      volumes,
      300,
    );
    assert.deepEqual([...found.keys()].sort(), [VOL_A, VOL_B, VOL_C]);
    assert.deepEqual(found.get(VOL_A), {
      volumeId: VOL_A,
      access: 'single-node',
      volumeMode: 'filesystem',
      nodes: [{ nodeId: 'node-a', readonly: false, attachedAt: since }],
    });
    assert.deepEqual(
      found.get(VOL_B)?.nodes.map((n) => n.nodeId),
      ['node-a', 'node-b'],
    );
    assert.deepEqual(
      found.get(VOL_C)?.nodes.map((n) => n.nodeId),
      ['node-c'],
      'being attached: fenced (the publish may have been answered)',
    );
  });

  it("makes the store agree with Kubernetes: a stale replica's record loses, this store's records stay", () => {
    const k8s = kubernetesAttachments(DRIVER, [va('pv-a', 'node-a'), va('pv-c', 'node-c')], volumes, 300);
    const bogus = {
      volumeId: VOL_A,
      access: 'single-node',
      volumeMode: 'filesystem',
      nodes: [{ nodeId: 'node-b', readonly: false, attachedAt: since }],
    } as const;
    const mine = {
      ...bogus,
      volumeId: VOL_C,
      nodes: [{ nodeId: 'node-c', readonly: true, attachedAt: since }],
    };
    const orphan = { ...bogus, volumeId: VOL_D };
    const steps = adoptionPlan(
      k8s,
      new Map([
        [VOL_A, { attachment: { ...bogus, nodes: [...bogus.nodes] }, origin: 'foreign' as const }],
        [VOL_C, { attachment: mine, origin: 'mine' as const }],
        [VOL_D, { attachment: { ...orphan, nodes: [...orphan.nodes] }, origin: 'foreign' as const }],
      ]),
    );
    assert.deepEqual(steps, [
      { volumeId: VOL_A, kind: 'put', value: k8s.get(VOL_A) },
      { volumeId: VOL_D, kind: 'delete' },
    ]);
  });

  it("gives an adopted two-node pair a migration deadline: the record's timeout, else the default (finding 8)", () => {
    const later = '2026-01-01T00:01:00.000Z';
    const k8s = kubernetesAttachments(
      DRIVER,
      [va('pv-b', 'node-a'), va('pv-b', 'node-b', { since: later })],
      volumes,
      120,
    );
    const [fromDefault] = adoptionPlan(k8s, new Map());
    assert.ok(fromDefault?.kind === 'put');
    assert.equal(fromDefault.value.migrationTimeoutSeconds, 120);
    assert.equal(
      fromDefault.value.migrationDeadline,
      '2026-01-01T00:03:00.000Z',
      'from the later attachment',
    );
    const earlier = { ...(k8s.get(VOL_B) as Attachment), nodes: [], migrationTimeoutSeconds: 600 };
    const [fromRecord] = adoptionPlan(
      k8s,
      new Map([[VOL_B, { attachment: earlier, origin: 'legacy' as const }]]),
    );
    assert.ok(fromRecord?.kind === 'put');
    assert.equal(fromRecord.value.migrationTimeoutSeconds, 600);
    assert.equal(fromRecord.value.migrationDeadline, '2026-01-01T00:11:00.000Z');
  });
});

describe('start-up adoption through the reconciler', () => {
  const k8s = withKubernetes();

  it('fences volumes the Go driver (or a lost store) left attached; a new store follows Kubernetes', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c');
    const kubeconfigPath = await k8s.kubeconfig();
    const first = await h.startReady({ kubernetes: { kubeconfigPath } });
    await h.publish(VOL_C, 'node-c');
    await first.stop();
    // The store is lost while no reconciler runs: the next one adopts a new one.
    await (await new Kvm(h.client.nc).open(h.client.names.attachmentsBucket)).destroy();

    k8s.kube.addPersistentVolume(VOL_A);
    k8s.kube.addPersistentVolume(VOL_C);
    k8s.kube.addVolumeAttachment('csi-a', { nodeName: 'node-a', persistentVolumeName: VOL_A });
    k8s.kube.addVolumeAttachment('csi-c', { nodeName: 'node-b', persistentVolumeName: VOL_C });
    await h.startReady({ kubernetes: { kubeconfigPath } });

    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'adopted from the VolumeAttachment');
    const fenced = await rejectionOf(() => h.publish(VOL_A, 'node-b'));
    assert.equal(fenced.code, 'FAILED_PRECONDITION', 'fencing holds from the first publish on');
    assert.deepEqual(await h.nodesOf(VOL_C), ['node-b'], 'the new store says what Kubernetes says');
    assert.ok(k8s.kube.requests({ path: '/apis/storage.k8s.io/v1/volumeattachments' }).length >= 1);
  });
});
