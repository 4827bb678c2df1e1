/**
 * What RouterOS says reaches the CSI answers, at the fewest round trips: counted in the simulator's command log
 * (each SSH exec is one round trip), through CSI socket -> csi-gateway -> NATS -> rds-connector -> SSH.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CsiClient } from '@rds-csi/csi-spec';
import { E2eStack } from '../src/stack.js';
import { GRPC, MiB, createVolume, fsCapability, grpcCode, publish } from '../src/volumes.js';

describe('RouterOS semantics through the whole controller chain', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start();
    csi = await stack.startAll();
  });
  after(() => stack?.dispose());

  const roundTrips = async (call: () => Promise<unknown>): Promise<number> => {
    const before = stack.sim.commandLog.length;
    await call();
    return stack.sim.commandLog.length - before;
  };

  it('expand costs 2 round trips, restore and clone 2 (the connector reads the source while it looks up the slot)', async () => {
    const volume = await createVolume(csi, 8 * MiB);
    const { snapshot } = await csi.controller.CreateSnapshot({
      name: `snapshot-${randomUUID()}`,
      source_volume_id: volume.volume_id,
    });
    const expand = () =>
      csi.controller.ControllerExpandVolume({
        volume_id: volume.volume_id,
        capacity_range: { required_bytes: 16 * MiB },
        volume_capability: fsCapability(),
      });
    assert.equal(await roundTrips(expand), 2, 'expand');
    const copy = (source: Parameters<CsiClient['controller']['CreateVolume']>[0]['volume_content_source']) =>
      csi.controller.CreateVolume({
        name: `pvc-${randomUUID()}`,
        capacity_range: { required_bytes: 32 * MiB },
        volume_capabilities: [fsCapability()],
        volume_content_source: source,
      });
    assert.equal(
      await roundTrips(() => copy({ snapshot: { snapshot_id: snapshot?.snapshot_id ?? '' } })),
      2,
      'restore',
    );
    assert.equal(await roundTrips(() => copy({ volume: { volume_id: volume.volume_id } })), 2, 'clone');
  });

  it('a disabled or inactive disk is an abnormal volume and is not published (FAILED_PRECONDITION)', async () => {
    const disabled = await createVolume(csi, MiB);
    const inactive = await createVolume(csi, MiB);
    await stack.sim.runAsOperator(`/disk set [find slot=${disabled.volume_id}] disabled=yes`);
    await stack.sim.loseBackingFile(inactive.volume_id);
    for (const [volume, why] of [
      [disabled, /disabled/],
      [inactive, /inactive/],
    ] as const) {
      const { status } = await csi.controller.ControllerGetVolume({ volume_id: volume.volume_id });
      assert.equal(status?.volume_condition?.abnormal, true);
      assert.match(status?.volume_condition?.message ?? '', why);
      assert.equal(await grpcCode(publish(csi, volume, 'worker-1')), GRPC.FAILED_PRECONDITION);
    }
    const { entries } = await csi.controller.ListVolumes({});
    const abnormal = entries
      .filter((e) => e.status?.volume_condition?.abnormal)
      .map((e) => e.volume?.volume_id);
    assert.deepEqual(abnormal.sort(), [disabled.volume_id, inactive.volume_id].sort());
  });
});
