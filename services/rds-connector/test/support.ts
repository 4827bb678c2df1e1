import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBusConfig, type Bus } from '@rds-csi/bus';
import { ConnectionState } from '@rds-csi/contracts';
import { silentLogger } from '@rds-csi/observability';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { connectTestBus, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { startConnector, type ConnectorConfig, type RunningConnector } from '../src/index.js';

export const BASE = '/storage-pool/metal-csi';

/** A real nats-server, a real SSH RouterOS simulator, and the rds-connector between them. */
export interface ConnectorFixture {
  nats: NatsServerHandle;
  sim: RdsSimulator;
  connector: RunningConnector;
  client: Bus;
  states: ConnectionState[];
  config: ConnectorConfig;
  dispose(): Promise<void>;
}

export async function connectorConfig(
  natsUrl: string,
  sim: RdsSimulator,
  dir: string,
  overrides: Partial<ConnectorConfig['rds']> = {},
): Promise<ConnectorConfig> {
  const keys = generateKeyPair();
  await writeFile(join(dir, 'id_ed25519'), keys.privateKey, { mode: 0o600 });
  return {
    bus: parseBusConfig({ servers: [natsUrl], name: 'rds-connector' }),
    rds: {
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      privateKey: Buffer.from(keys.privateKey),
      hostKey: sim.hostKeyFingerprint,
      insecureSkipHostKeyCheck: false,
      basePath: BASE,
      nvmePort: 4420,
      commandTimeoutMs: 5_000,
      connectTimeoutMs: 3_000,
      maxChannels: 4,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 3,
      ...overrides,
    },
    heartbeatIntervalMs: 500,
    metricsPort: 0,
  };
}

export async function startFixture(options: { poolSizeBytes?: number; rds?: Partial<ConnectorConfig['rds']> } = {}): Promise<ConnectorFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'rdscsi-connector-'));
  const clientKeys = generateKeyPair();
  const nats = await startNatsServer();
  const sim = await RdsSimulator.start({
    dataDir: join(dir, 'rds'),
    authorizedKeys: [clientKeys.publicKey],
    poolSizeBytes: options.poolSizeBytes,
    basePath: BASE,
  });
  const config = await connectorConfig(nats.url, sim, dir, {
    privateKey: Buffer.from(clientKeys.privateKey),
    ...options.rds,
  });
  const client = await connectTestBus(nats.url, 'test-client');
  const states: ConnectionState[] = [];
  client.subscribe(client.names.rdsConnection, ConnectionState, (s) => {
    states.push(s);
  });
  const connector = await startConnector(config, { logger: silentLogger(), backoff: { minMs: 200, maxMs: 800 } });
  return {
    nats,
    sim,
    connector,
    client,
    states,
    config,
    async dispose() {
      await connector.stop().catch(() => undefined);
      await client.close();
      await sim.stop();
      await nats.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
