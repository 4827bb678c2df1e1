import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@rds-csi/testkit';
import { createVolume, publish, unpublish, GiB } from '@rds-csi/e2e/volumes';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack.js';
import { DirectFloor, ratePerSecond } from './direct-floor.js';
import { percentile, round, type Measurement } from './report.js';

const root = resolve(import.meta.dirname, '../..');
const BASE = '/storage-pool/metal-csi';

/** Builds the service bundles the image ships, so benches run what deploy/entrypoint.sh runs. */
export function buildBundles(): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-services.mjs')], { stdio: 'ignore' });
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return round(Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? NaN) / 1024, 1);
}

async function driverLifecycle(stack: LocalStack, withPublish: boolean): Promise<void> {
  const volume = await createVolume(stack.csi, GiB / 16);
  if (withPublish) {
    await publish(stack.csi, volume, 'node-a');
    await unpublish(stack.csi, volume, 'node-a');
  }
  await stack.csi.controller.DeleteVolume({ volume_id: volume.volume_id });
}

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  samples.push(performance.now() - t0);
  return result;
}

/**
 * (a) The driver's lifecycles against the direct floor on the same simulator, at 0 and 20 ms per command, c1 and
 * c8; the per-RPC overhead over its RouterOS round trips; Probe; and idle memory of the bundles with and without
 * --enable-source-maps.
 */
export async function benchLifecycle(): Promise<Measurement[]> {
  buildBundles();
  const rows: Measurement[] = [];
  for (const sourceMaps of [true, false]) {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-bench-'));
    const stack = await startLocalStack({
      nodes: ['node-a'],
      showLogs: false,
      dir,
      latencyMs: 0,
      bundles: { sourceMaps },
    });
    try {
      const flag = sourceMaps ? 'node --enable-source-maps' : 'node (as deploy/entrypoint.sh)';
      for (const [name, pid] of Object.entries(stack.pids)) {
        rows.push({
          bench: 'memory idle',
          metric: `${name} RSS`,
          value: await rssMiB(pid),
          unit: 'MiB',
          note: flag,
        });
      }
      if (sourceMaps) continue;
      rows.push(...(await lifecycleRows(stack, dir)));
      for (const [name, pid] of Object.entries(stack.pids)) {
        rows.push({
          bench: 'memory after lifecycles',
          metric: `${name} RSS`,
          value: await rssMiB(pid),
          unit: 'MiB',
          note: flag,
        });
      }
      rows.push(...(await channelRows(stack)));
    } finally {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function lifecycleRows(stack: LocalStack, dir: string): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const floor = await DirectFloor.connect({
    host: '127.0.0.1',
    port: stack.sim.port,
    privateKey: await readFile(join(dir, 'rds_id_ed25519'), 'utf8'),
  });
  try {
    let n = 0;
    const slot = () => `pvc-00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
    // The reconciler serves publishes once its start-up pass is done; then warm the paths (connections, JIT).
    await waitFor(() => driverLifecycle(stack, true).then(() => true), {
      timeoutMs: 60_000,
      message: 'a first lifecycle',
    });
    for (let i = 0; i < 10; i++) await driverLifecycle(stack, true);

    // Per-RPC overhead at 0 ms: an RPC's p50 less its RouterOS commands at the floor's p50 per command.
    const perCommand: number[] = [];
    for (let i = 0; i < 200; i++)
      await timed(perCommand, () => floor.exec(`/disk print detail where slot=${slot()}`));
    const commandP50 = percentile(perCommand, 50);
    const rpc: Record<string, number[]> = {
      CreateVolume: [],
      ControllerPublish: [],
      ControllerUnpublish: [],
      DeleteVolume: [],
    };
    const commands: Record<string, number> = {
      CreateVolume: 0,
      ControllerPublish: 0,
      ControllerUnpublish: 0,
      DeleteVolume: 0,
    };
    const count = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const before = stack.sim.commandLog.length;
      const result = await timed(rpc[name]!, run);
      commands[name]! += stack.sim.commandLog.length - before;
      return result;
    };
    const rounds = 100;
    for (let i = 0; i < rounds; i++) {
      const volume = await count('CreateVolume', () => createVolume(stack.csi, GiB / 16));
      await count('ControllerPublish', () => publish(stack.csi, volume, 'node-a'));
      await count('ControllerUnpublish', () => unpublish(stack.csi, volume, 'node-a'));
      await count('DeleteVolume', () => stack.csi.controller.DeleteVolume({ volume_id: volume.volume_id }));
    }
    rows.push({
      bench: 'per-RPC overhead (c1, 0 ms)',
      metric: 'RouterOS command p50 (direct)',
      value: round(commandP50),
      unit: 'ms',
    });
    for (const [name, samples] of Object.entries(rpc)) {
      const perRpc = commands[name]! / rounds;
      rows.push({
        bench: 'per-RPC overhead (c1, 0 ms)',
        metric: `${name} added p50`,
        value: round(percentile(samples, 50) - perRpc * commandP50),
        unit: 'ms',
        note: `p50 ${round(percentile(samples, 50))} ms, ${round(perRpc, 1)} commands; target <= 2`,
      });
    }
    const probe: number[] = [];
    for (let i = 0; i < 300; i++) await timed(probe, () => stack.csi.identity.Probe({}));
    rows.push({
      bench: 'Probe (c1)',
      metric: 'p50',
      value: round(percentile(probe, 50)),
      unit: 'ms',
      note: 'target <= 0.7',
    });

    for (const latency of [0, 20]) {
      stack.sim.faults.setLatency(latency);
      for (const concurrency of [1, 8]) {
        const count = latency === 0 ? 80 : concurrency === 1 ? 16 : 48;
        const floor4 = await ratePerSecond(count, concurrency, async () => {
          const s = slot();
          await floor.createVolume(s, BASE);
          await floor.deleteVolume(s, BASE);
        });
        const floor5 = await ratePerSecond(count, concurrency, async () => {
          const s = slot();
          await floor.createVolume(s, BASE);
          await floor.publish(s);
          await floor.deleteVolume(s, BASE);
        });
        const driver4 = await ratePerSecond(count, concurrency, () => driverLifecycle(stack, false));
        const driver5 = await ratePerSecond(count, concurrency, () => driverLifecycle(stack, true));
        const bench = `lifecycles/s, ${latency} ms per command, c${concurrency}`;
        const target = (c1: number, c8: number) => `target >= ${concurrency === 1 ? c1 : c8}`;
        rows.push(
          { bench, metric: 'direct floor Create→Delete (4 commands)', value: round(floor4), unit: '/s' },
          { bench, metric: 'driver Create→Delete', value: round(driver4), unit: '/s' },
          {
            bench,
            metric: 'ratio Create→Delete',
            value: round(driver4 / floor4),
            unit: 'x',
            note: latency === 20 ? target(0.95, 1.0) : '',
          },
          {
            bench,
            metric: 'direct floor Create→Publish→Unpublish→Delete (5 commands)',
            value: round(floor5),
            unit: '/s',
          },
          { bench, metric: 'driver Create→Publish→Unpublish→Delete', value: round(driver5), unit: '/s' },
          {
            bench,
            metric: 'ratio with publish',
            value: round(driver5 / floor5),
            unit: 'x',
            note: latency === 20 ? target(0.9, 0.9) : '',
          },
        );
      }
    }
  } finally {
    floor.close();
  }
  return rows;
}

/** The connector's channel limit (RDS_MAX_CHANNELS) at c8 and 20 ms per command, the case it limits. */
async function channelRows(stack: LocalStack): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  for (const channels of [4, 8, 16]) {
    await stack.restart('rds-connector', { RDS_MAX_CHANNELS: String(channels) });
    await waitFor(() => driverLifecycle(stack, false).then(() => true), { timeoutMs: 60_000 });
    stack.sim.faults.setLatency(20);
    const rate = await ratePerSecond(48, 8, () => driverLifecycle(stack, false));
    rows.push({
      bench: 'lifecycles/s, 20 ms per command, c8',
      metric: `driver Create→Delete, RDS_MAX_CHANNELS=${channels}`,
      value: round(rate),
      unit: '/s',
    });
  }
  return rows;
}
