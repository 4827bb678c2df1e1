import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpoints } from '@rds-csi/contracts';
import { silentLogger } from '@rds-csi/observability';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { startConnector } from '@rds-csi/rds-connector';
import { connectTestBus } from '@rds-csi/bus/testing';
import { startNatsServer, waitFor } from '@rds-csi/testkit';
import { latencyRows, round, type Measurement } from './report.js';

const MiB = 1024 ** 2;
const volumeId = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Volume create + delete through NATS, the rds-connector and a real SSH server, with the simulator answering at
 * once (pure driver overhead) and with a 5 ms command time (what the RDS costs per round trip).
 */
export async function benchConnector(): Promise<Measurement[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rdscsi-bench-'));
  const keys = generateKeyPair();
  const nats = await startNatsServer();
  const sim = await RdsSimulator.start({ dataDir: join(dir, 'rds'), authorizedKeys: [keys.publicKey] });
  const connector = await startConnector(
    {
      bus: { servers: [nats.url], name: 'rds-connector' },
      rds: {
        host: '127.0.0.1',
        port: sim.port,
        privateKey: Buffer.from(keys.privateKey),
        hostKey: sim.hostKeyFingerprint,
      },
      metricsPort: 0,
    },
    { logger: silentLogger() },
  );
  const client = await connectTestBus(nats.url, 'bench');
  const rows: Measurement[] = [];
  try {
    await waitFor(() => connector.connection.isConnected);
    let n = 0;
    for (const latency of [0, 5]) {
      sim.faults.setLatency(latency);
      const samples: number[] = [];
      const before = sim.commandLog.length;
      const iterations = latency === 0 ? 200 : 50;
      for (let i = 0; i < iterations; i++) {
        const id = volumeId(++n);
        const t0 = performance.now();
        await client.request(endpoints.volumeCreate, { id, sizeBytes: 64 * MiB });
        await client.request(endpoints.volumeDelete, { id });
        samples.push(performance.now() - t0);
      }
      const bench = `connector create+delete (RDS command time ${latency} ms)`;
      rows.push(...latencyRows(bench, 'create+delete', samples));
      rows.push({
        bench,
        metric: 'SSH round trips per create+delete',
        value: (sim.commandLog.length - before) / iterations,
        unit: 'commands',
      });
    }
    sim.faults.setLatency(5);
    const burst = Array.from({ length: 50 }, () => volumeId(++n));
    const t0 = performance.now();
    await Promise.all(burst.map((id) => client.request(endpoints.volumeCreate, { id, sizeBytes: MiB })));
    const elapsed = performance.now() - t0;
    rows.push({
      bench: 'connector 50 concurrent creates (5 ms RDS)',
      metric: 'wall time',
      value: round(elapsed),
      unit: 'ms',
      note: '8 SSH channels (the default)',
    });
    await waitFor(() => connector.connection.openChannels === 0);
    rows.push({
      bench: 'connector 50 concurrent creates (5 ms RDS)',
      metric: 'open channels after',
      value: connector.connection.openChannels,
      unit: 'channels',
    });
    rows.push({
      bench: 'process',
      metric: 'RSS after connector benches',
      value: round(process.memoryUsage().rss / MiB, 1),
      unit: 'MiB',
      note: 'bench process incl. simulator',
    });
  } finally {
    await client.close();
    await connector.stop();
    await sim.stop();
    await nats.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
