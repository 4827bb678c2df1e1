import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rejectionOf } from '@rds-csi/testkit';
import { attachmentsToAdopt, type AttachedVolume, type VolumeShape } from '../src/adoption.js';
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
  it('adopts attached volumes of this driver that the store lacks, and nothing else', () => {
    const volumes = new Map([
      ['pv-a', shape(VOL_A)],
      ['pv-b', shape(VOL_B, { accessModes: ['ReadWriteMany'], volumeMode: 'block' })],
      ['pv-c', shape(VOL_C)],
      ['pv-other', shape(VOL_D, { driver: 'other.csi.example.com' })],
    ]);
    const adopted = attachmentsToAdopt(
      DRIVER,
      [
        va('pv-a', 'node-a'),
        va('pv-b', 'node-a'),
        va('pv-b', 'node-b'),
        va('pv-c', 'node-c'),
        va('pv-a', 'node-z', { attached: false }),
        va('pv-a', 'node-y', { attacher: 'other.csi.example.com' }),
        va('pv-other', 'node-a'),
        va('pv-missing', 'node-a'),
      ],
      volumes,
      new Set([VOL_C]),
    );
    assert.deepEqual(adopted, [
      {
        volumeId: VOL_A,
        access: 'single-node',
        volumeMode: 'filesystem',
        nodes: [{ nodeId: 'node-a', readonly: false, attachedAt: since }],
      },
      {
        volumeId: VOL_B,
        access: 'multi-node',
        volumeMode: 'block',
        nodes: [
          { nodeId: 'node-a', readonly: false, attachedAt: since },
          { nodeId: 'node-b', readonly: false, attachedAt: since },
        ],
      },
    ]);
  });
});

describe('start-up adoption through the reconciler', () => {
  const k8s = withKubernetes();

  it('fences volumes the Go driver (or a lost store) left attached, and never overrides the store', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c');
    const kubeconfigPath = await k8s.kubeconfig();
    const first = await h.startReady({ kubernetes: { kubeconfigPath } });
    await h.publish(VOL_C, 'node-c');
    await first.stop();

    k8s.kube.addPersistentVolume(VOL_A);
    k8s.kube.addPersistentVolume(VOL_C);
    k8s.kube.addVolumeAttachment('csi-a', { nodeName: 'node-a', persistentVolumeName: VOL_A });
    k8s.kube.addVolumeAttachment('csi-c', { nodeName: 'node-b', persistentVolumeName: VOL_C });
    await h.startReady({ kubernetes: { kubeconfigPath } });

    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'adopted from the VolumeAttachment');
    const fenced = await rejectionOf(() => h.publish(VOL_A, 'node-b'));
    assert.equal(fenced.code, 'FAILED_PRECONDITION', 'fencing holds from the first publish on');
    assert.deepEqual(await h.nodesOf(VOL_C), ['node-c'], 'the store wins over Kubernetes');
    assert.ok(k8s.kube.requests({ path: '/apis/storage.k8s.io/v1/volumeattachments' }).length >= 1);
  });
});
