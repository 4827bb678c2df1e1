import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handle, startService } from '@rds-csi/bus';
import { endpoints, type Volume } from '@rds-csi/contracts';
import { connectTestBus } from '@rds-csi/bus/testing';
import { rejectionOf } from '@rds-csi/testkit';
import { findOrphans, type FirstSeen } from '../src/orphans.js';
import { Harness, VOLUMES, withKubernetes } from './harness.js';

const [VOL_A, VOL_B, VOL_C] = VOLUMES;
const volume = (id: string): Volume => ({
  id,
  filePath: `/storage-pool/metal-csi/${id}.img`,
  sizeBytes: 1 << 30,
  nqn: `nqn.2000-02.com.mikrotik:${id}`,
  nvmeTcpPort: 4420,
  exported: true,
});

describe('finding orphan volumes', () => {
  it('reports a volume only after it stayed unreferenced for the whole grace, and forgets it once referenced', () => {
    const seen: FirstSeen = new Map();
    const volumes = [volume(VOL_A), volume(VOL_B)];
    const first = findOrphans(volumes, new Set([VOL_A]), seen, 1_000, 60_000);
    assert.deepEqual(first, { orphans: [], withinGrace: 1 });
    const later = findOrphans(volumes, new Set([VOL_A]), seen, 61_000, 60_000);
    assert.deepEqual(
      later.orphans.map((o) => [o.volumeId, o.firstSeen]),
      [[VOL_B, new Date(1_000).toISOString()]],
    );
    findOrphans(volumes, new Set([VOL_A, VOL_B]), seen, 62_000, 60_000);
    assert.equal(seen.has(VOL_B), false, 'a PV appeared: the clock starts again if it ever goes away');
    assert.deepEqual(findOrphans(volumes, new Set([VOL_A]), seen, 63_000, 60_000).orphans, []);
  });
});

describe('orphan report through the reconciler', () => {
  const k8s = withKubernetes();

  it('lists RDS volumes no PV references, past the grace, and deletes nothing', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    const connector = await connectTestBus(k8s.nats.url, 'fake-rds-connector', { prefix: h.prefix });
    const listed = [volume(VOL_A), volume(VOL_B), volume(VOL_C)];
    const requests: string[] = [];
    const service = await startService(
      connector,
      { name: 'rds-connector', version: 'test', description: 'volume list' },
      [
        handle(endpoints.volumeList, async () => ({ volumes: listed })),
        handle(endpoints.volumeDelete, async (req) => (requests.push(req.id), { deleted: true })),
      ],
    );
    t.after(async () => {
      await service.stop();
      await connector.close();
    });
    k8s.kube.addPersistentVolume(VOL_A);
    k8s.kube.addPersistentVolume(VOL_C, { driver: 'other.csi.example.com' });
    h.watcher.ready('node-a');
    const kubeconfigPath = await k8s.kubeconfig();
    await h.startReady({ kubernetes: { kubeconfigPath }, orphanGraceMs: 0 });

    const report = await h.client.request(endpoints.orphansReport, {});
    assert.equal(report.volumesChecked, 3);
    assert.deepEqual(
      report.orphans.map((o) => o.volumeId),
      [VOL_B, VOL_C],
      'a PV of another driver does not reference our volume',
    );
    assert.deepEqual(requests, [], 'report only: nothing deleted');
  });

  it('refuses to call anything an orphan without Kubernetes', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    await h.startReady();
    const err = await rejectionOf(() => h.client.request(endpoints.orphansReport, {}));
    assert.equal(err.code, 'FAILED_PRECONDITION');
  });
});
