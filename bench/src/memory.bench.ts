import { readFile } from 'node:fs/promises';
import { createVolume, publish, unpublish, GiB } from '@rds-csi/e2e/volumes';
import { startLocalStack } from '../../scripts/local-stack.js';
import type { Measurement } from './report.js';

/** Resident memory of a process, from /proc (kB -> MiB). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * Memory of each service as its own process (as deployed), idle after start and after a workload of 200 volumes
 * created, published, unpublished and deleted through the CSI socket.
 */
export async function benchMemory(): Promise<Measurement[]> {
  const stack = await startLocalStack({ nodes: ['node-a', 'node-b'], showLogs: false });
  const rows: Measurement[] = [];
  try {
    for (const [name, pid] of Object.entries(stack.pids)) {
      rows.push({
        bench: 'service memory',
        metric: `${name} RSS idle`,
        value: await rssMiB(pid),
        unit: 'MiB',
        note: 'under tsx',
      });
    }
    for (let i = 0; i < 200; i++) {
      const volume = await createVolume(stack.csi, GiB);
      await publish(stack.csi, volume, 'node-a').catch(async () => publish(stack.csi, volume, 'node-a'));
      await unpublish(stack.csi, volume, 'node-a');
      await stack.csi.controller.DeleteVolume({ volume_id: volume.volume_id });
    }
    for (const [name, pid] of Object.entries(stack.pids)) {
      rows.push({
        bench: 'service memory',
        metric: `${name} RSS after 200 volume lifecycles`,
        value: await rssMiB(pid),
        unit: 'MiB',
      });
    }
  } finally {
    await stack.stop();
  }
  return rows;
}
