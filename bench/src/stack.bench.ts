import { endpoints } from '@rds-csi/contracts';
import { E2eStack } from '@rds-csi/e2e/stack';
import { GiB, createVolume, publish, unpublish } from '@rds-csi/e2e/volumes';
import { waitFor } from '@rds-csi/testkit';
import { latencyRows, round, type Measurement } from './report.js';

/**
 * Whole-stack latencies through the CSI socket (gateway -> NATS -> connector/reconciler -> SSH/KV), with the RDS
 * simulator answering each command after 5 ms, and the time the driver needs to heal after a node is deleted.
 */
export async function benchStack(): Promise<Measurement[]> {
  const stack = await E2eStack.start({ nodes: ['node-a', 'node-b'] });
  const rows: Measurement[] = [];
  try {
    const csi = await stack.startAll();
    stack.sim.faults.setLatency(5);
    const createDelete: number[] = [];
    const before = stack.sim.commandLog.length;
    const rounds = 40;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const volume = await createVolume(csi, GiB);
      await csi.controller.DeleteVolume({ volume_id: volume.volume_id });
      createDelete.push(performance.now() - t0);
    }
    const bench = 'CSI CreateVolume+DeleteVolume (5 ms RDS)';
    rows.push(...latencyRows(bench, 'create+delete', createDelete));
    rows.push({
      bench,
      metric: 'SSH round trips per create+delete',
      value: (stack.sim.commandLog.length - before) / rounds,
      unit: 'commands',
      note: 'Go driver: 6',
    });

    const volume = await createVolume(csi, GiB);
    const attach: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await publish(csi, volume, 'node-a');
      await unpublish(csi, volume, 'node-a');
      attach.push(performance.now() - t0);
    }
    rows.push(...latencyRows('CSI ControllerPublish+Unpublish (KV CAS)', 'publish+unpublish', attach));

    const heal: number[] = [];
    for (let i = 0; i < 5; i++) {
      const from = i % 2 === 0 ? 'node-a' : 'node-b';
      await publish(csi, volume, from);
      const t0 = performance.now();
      stack.kube.deleteNode(from);
      await waitFor(
        async () =>
          !(await stack.client
            .request(endpoints.attachGet, { volumeId: volume.volume_id })
            .catch(() => undefined)),
        {
          intervalMs: 5,
        },
      );
      heal.push(performance.now() - t0);
      stack.kube.addNode(from);
      await waitFor(() =>
        stack.client.request(endpoints.nodesGet, { name: from }).then(
          () => true,
          () => false,
        ),
      );
    }
    rows.push(...latencyRows('node deleted -> stale attachment cleared', 'node event to clearance', heal));
    rows.push({
      bench: 'process',
      metric: 'RSS after stack benches',
      value: round(process.memoryUsage().rss / 1024 ** 2, 1),
      unit: 'MiB',
      note: 'all services in one process',
    });
  } finally {
    await stack.dispose();
  }
  return rows;
}
