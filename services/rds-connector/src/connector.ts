import { Bus, ensureKv, handle, pageOf, startService, type RunningService } from '@rds-csi/bus';
import { RdsCsiError, endpoints, errorMessage } from '@rds-csi/contracts';
import {
  createLogger,
  createMetricsRegistry,
  startHealthServer,
  type HealthServer,
  type Logger,
  type Registry,
} from '@rds-csi/observability';
import { classifyCommandResult, type RouterOsCommand } from '@rds-csi/routeros';
import { parseConnectorConfig, type ConnectorConfigInput } from './config.js';
import { fenceVolume } from './fence.js';
import { LineageStore } from './lineage.js';
import { connectorMetrics, type ConnectorMetrics } from './metrics.js';
import { RdsOperations, type RunCommand } from './rds-operations.js';
import { ConnectionManager } from './ssh/connection-manager.js';
import { parseHostKeyPin } from './ssh/host-key.js';
import { StateBroadcaster } from './state-broadcaster.js';
import packageJson from '../package.json' with { type: 'json' };

export interface ConnectorDeps {
  logger?: Logger;
  registry?: Registry;
  /** Test-only override of the reconnect schedule. */
  backoff?: { minMs: number; maxMs: number };
}

export interface RunningConnector {
  readonly bus: Bus;
  readonly connection: ConnectionManager;
  readonly operations: RdsOperations;
  readonly registry: Registry;
  readonly healthPort: number;
  stop(): Promise<void>;
}

/** Starts the rds-connector: the one SSH connection to the RDS, its state broadcast, and the volume endpoints. */
export async function startConnector(
  input: ConnectorConfigInput,
  deps: ConnectorDeps = {},
): Promise<RunningConnector> {
  const config = parseConnectorConfig(input);
  const logger = deps.logger ?? createLogger('rds-connector');
  const registry = deps.registry ?? createMetricsRegistry('rds-connector');
  const metrics = connectorMetrics(registry);
  if (config.rds.insecureSkipHostKeyCheck) {
    logger.warn(
      'RDS host key check DISABLED (RDS_INSECURE_SKIP_HOST_KEY_CHECK=true): anyone on the path can impersonate the RDS',
    );
  }
  const connection = new ConnectionManager({
    target: {
      host: config.rds.host,
      port: config.rds.port,
      username: config.rds.username,
      privateKey: config.rds.privateKey,
      hostKeyPin: config.rds.hostKey ? parseHostKeyPin(config.rds.hostKey) : undefined,
      connectTimeoutMs: config.rds.connectTimeoutMs,
      keepaliveIntervalMs: config.rds.keepaliveIntervalMs,
      keepaliveCountMax: config.rds.keepaliveCountMax,
    },
    maxChannels: config.rds.maxChannels,
    logger,
    healthCheck: {
      intervalMs: config.rds.healthCheckIntervalMs,
      timeoutMs: config.rds.healthCheckTimeoutMs,
      failuresBeforeDegraded: config.rds.healthCheckFailures,
    },
    healthyResetMs: config.rds.healthyResetMs,
    backoff: deps.backoff,
  });
  const nats: { bus?: Bus } = {};
  // Health endpoints first, so a NATS outage at start is visible (and explained) instead of a silent hang.
  const health = await startHealthServer({
    port: config.metricsPort,
    registry,
    logger,
    ready: () => readiness(connection, nats.bus),
  });
  const bus = await Bus.connect(config.bus, { logger, registry }).catch(async (err: unknown) => {
    await health.close();
    throw err;
  });
  nats.bus = bus;
  const lineage = new LineageStore(
    await ensureKv(bus, {
      bucket: bus.names.snapshotsBucket,
      // Also holds the sources of restored and cloned volumes; the description stays, as an existing bucket's must.
      description: 'rds-csi snapshot lineage (source volume, creation time)',
    }),
    logger,
  );
  const run = commandRunner(connection, metrics, config.rds.commandTimeoutMs, logger);
  const operations = new RdsOperations(run, config.rds, lineage);
  const broadcaster = new StateBroadcaster(bus, () => connection.state, config.heartbeatIntervalMs);
  followConnection(connection, metrics, broadcaster);
  connection.start();
  broadcaster.start();
  const service = await serveEndpoints(bus, operations, lineage, connection, run, config.rds.basePath);
  return {
    bus,
    connection,
    operations,
    registry,
    healthPort: health.port,
    stop: () => stopAll(service, broadcaster, connection, bus, health),
  };
}

function readiness(connection: ConnectionManager, bus: Bus | undefined): { ready: boolean; reason: string } {
  if (!bus) return { ready: false, reason: 'waiting for NATS' };
  if (!bus.isConnected()) return { ready: false, reason: 'NATS disconnected' };
  const { state, lastError } = connection.state;
  return { ready: connection.isConnected, reason: `rds ${state}${lastError ? `: ${lastError}` : ''}` };
}

async function stopAll(
  service: RunningService,
  broadcaster: StateBroadcaster,
  connection: ConnectionManager,
  bus: Bus,
  health: HealthServer,
): Promise<void> {
  await service.stop();
  broadcaster.stop();
  await connection.stop();
  broadcaster.publish(connection.state);
  await bus.close();
  await health.close();
}

function followConnection(
  connection: ConnectionManager,
  metrics: ConnectorMetrics,
  broadcaster: StateBroadcaster,
): void {
  connection.on('state', (state) => {
    for (const name of ['connected', 'connecting', 'disconnected'] as const) {
      metrics.connectionState.set({ state: name }, name === state.state ? 1 : 0);
    }
    broadcaster.publish(state);
  });
  connection.on('channels', (open) => metrics.openChannels.set(open));
  connection.on('reconnect', ({ outcome, durationMs }) => {
    metrics.reconnectAttempts.inc({ outcome });
    if (outcome === 'success') metrics.reconnectDuration.observe(durationMs / 1000);
  });
}

/** Runs a command on the SSH connection, classifies its result and records how it went. */
function commandRunner(
  connection: ConnectionManager,
  metrics: ConnectorMetrics,
  timeoutMs: number,
  logger: Logger,
): RunCommand {
  return async (command: RouterOsCommand, label: string, deadline: number, commandTimeoutMs = timeoutMs) => {
    const stop = metrics.commandDuration.startTimer({ command: label });
    metrics.commandsInFlight.inc();
    try {
      const output = await connection.exec(command, deadline, commandTimeoutMs);
      const failure = classifyCommandResult({ ...output, exitCode: output.exitCode ?? null });
      if (failure) throw failure;
      stop({ outcome: 'ok' });
      return output.stdout;
    } catch (err) {
      const code = err instanceof RdsCsiError ? err.code : 'INTERNAL';
      stop({ outcome: code });
      logger.warn({ command: label, code, err: errorMessage(err) }, 'RDS command failed');
      throw err;
    } finally {
      metrics.commandsInFlight.dec();
    }
  };
}

function serveEndpoints(
  bus: Bus,
  ops: RdsOperations,
  lineage: LineageStore,
  connection: ConnectionManager,
  run: RunCommand,
  basePath: string,
): Promise<RunningService> {
  return startService(
    bus,
    {
      name: 'rds-connector',
      version: packageJson.version,
      description: 'RDS volumes, snapshots and capacity over SSH',
      readiness: () => readiness(connection, bus),
    },
    [
      handle(endpoints.volumeCreate, (req, ctx) => ops.createVolume(req, ctx.deadline)),
      handle(endpoints.volumeGet, (req, ctx) => ops.getVolume(req.id, ctx.deadline)),
      handle(endpoints.volumeList, async (req, ctx) => {
        const page = pageOf(await ops.listVolumes(ctx.deadline), (v) => v.id, req, ctx.maxReplyBytes);
        return { volumes: page.items, nextCursor: page.nextCursor };
      }),
      handle(endpoints.volumeResize, (req, ctx) => ops.resizeVolume(req.id, req.sizeBytes, ctx.deadline)),
      handle(endpoints.volumeFence, (req, ctx) =>
        fenceVolume(run, (slot, deadline) => ops.findDisk(slot, deadline), req, basePath, ctx.deadline),
      ),
      handle(endpoints.volumeDelete, async (req, ctx) => ({
        deleted: await ops.deleteVolume(req.id, ctx.deadline),
      })),
      handle(endpoints.snapshotCreate, (req, ctx) =>
        ops.createSnapshot(req.id, req.sourceVolumeId, ctx.deadline),
      ),
      handle(endpoints.snapshotGet, (req, ctx) => ops.getSnapshot(req.id, ctx.deadline)),
      handle(endpoints.snapshotList, async (req, ctx) => {
        const page = pageOf(await ops.listSnapshots(ctx.deadline), (s) => s.id, req, ctx.maxReplyBytes);
        return { snapshots: page.items, nextCursor: page.nextCursor };
      }),
      handle(endpoints.snapshotAdopt, async (req) => ({ adopted: await lineage.adoptAll(req.snapshots) })),
      handle(endpoints.snapshotDelete, async (req, ctx) => ({
        deleted: await ops.deleteSnapshot(req.id, ctx.deadline),
      })),
      handle(endpoints.capacity, (req, ctx) => ops.capacity(req.volumePath, ctx.deadline)),
      handle(endpoints.connectionGet, async () => connection.state),
    ],
  );
}
