import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bus } from '@rds-csi/bus';
import { ConnectionState } from '@rds-csi/contracts';
import { silentLogger } from '@rds-csi/observability';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { connectTestBus } from '@rds-csi/bus/testing';
import { startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { startConnector, type ConnectorConfigInput, type RunningConnector } from '../src/index.js';

export const BASE = '/storage-pool/metal-csi';

/** A real nats-server, a real SSH RouterOS simulator, and the rds-connector between them. */
export interface ConnectorFixture {
  nats: NatsServerHandle;
  sim: RdsSimulator;
  connector: RunningConnector;
  client: Bus;
  states: ConnectionState[];
  config: ConnectorConfigInput;
  /** The simulator's data directory (its `state.json` is read on `sim.restart()`). */
  simDataDir: string;
  dispose(): Promise<void>;
}

/** Connector settings for tests: the production defaults, shorter timeouts and a fast heartbeat. */
export function connectorConfig(
  natsUrl: string,
  sim: RdsSimulator,
  privateKey: string,
  overrides: Partial<ConnectorConfigInput['rds']> = {},
): ConnectorConfigInput {
  return {
    bus: { servers: [natsUrl], name: 'rds-connector' },
    rds: {
      host: '127.0.0.1',
      port: sim.port,
      privateKey: Buffer.from(privateKey),
      hostKey: sim.hostKeyFingerprint,
      basePath: BASE,
      commandTimeoutMs: 5_000,
      connectTimeoutMs: 3_000,
      keepaliveIntervalMs: 1_000,
      ...overrides,
    },
    heartbeatIntervalMs: 500,
    metricsPort: 0,
  };
}

export async function startFixture(
  options: {
    poolSizeBytes?: number;
    rds?: Partial<ConnectorConfigInput['rds']>;
    backoff?: { minMs: number; maxMs: number };
  } = {},
): Promise<ConnectorFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'rdscsi-connector-'));
  const clientKeys = generateKeyPair();
  const nats = await startNatsServer();
  const sim = await RdsSimulator.start({
    dataDir: join(dir, 'rds'),
    authorizedKeys: [clientKeys.publicKey],
    poolSizeBytes: options.poolSizeBytes,
    basePath: BASE,
  });
  const config = connectorConfig(nats.url, sim, clientKeys.privateKey, options.rds);
  const client = await connectTestBus(nats.url, 'test-client');
  const states: ConnectionState[] = [];
  client.subscribe(client.names.rdsConnection, ConnectionState, (s) => {
    states.push(s);
  });
  await client.nc.flush();
  const connector = await startConnector(config, {
    logger: silentLogger(),
    backoff: options.backoff ?? { minMs: 200, maxMs: 800 },
  });
  return {
    nats,
    sim,
    connector,
    client,
    states,
    config,
    simDataDir: join(dir, 'rds'),
    async dispose() {
      await connector.stop().catch(() => undefined);
      await client.close();
      await sim.stop();
      await nats.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
