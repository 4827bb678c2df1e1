import { createServer } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { Bus, startService, type RunningService } from '@rds-csi/bus';
import { csiServices } from '@rds-csi/csi-spec';
import {
  createLogger,
  createMetricsRegistry,
  startHealthServer,
  type HealthServer,
} from '@rds-csi/observability';
import { ConfigError, parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config.js';
import { identityHandlers } from './identity/identity.js';
import type { GatewayMode, ModeFactory, Readiness } from './mode.js';
import { MODES } from './modes.js';
import {
  grpcAddress,
  parseEndpoint,
  prepareSocketPath,
  removeSocket,
  type Endpoint,
} from './server/endpoint.js';
import { RpcPipeline } from './server/pipeline.js';
import { AuthorityFixingConnection } from './server/authority/connection.js';

export interface GatewayOptions {
  logger?: Logger;
  registry?: Registry;
  /** Replaces the mode's factory, e.g. node mode on a loop-device NVMe fabric in end-to-end tests. */
  modeFactory?: ModeFactory;
}

export interface RunningGateway {
  readonly config: GatewayConfig;
  /** What a client dials: `unix:///path` or `host:port` (with the real port when 0 was asked for). */
  readonly address: string;
  /** Port of /metrics, /healthz, /readyz, when enabled. */
  readonly metricsPort: number | undefined;
  readiness(): Readiness;
  /** Stops accepting calls, lets in-flight calls finish within the grace period, then closes everything. */
  stop(): Promise<void>;
}

interface Listener {
  /** What a client dials. */
  address: string;
  /** Stops accepting connections (established ones are closed by the gRPC server's shutdown). */
  close(): Promise<void>;
}

/**
 * Listens on the endpoint. A unix socket replaces a stale one and is created owner-only (0600); its connections
 * reach the gRPC server through AuthorityFixingConnection, so clients that send the socket path as :authority are
 * served. TCP is bound by grpc-js itself.
 */
async function listen(server: Server, endpoint: Endpoint): Promise<Listener> {
  if (endpoint.kind === 'tcp') {
    const port = await bindAsync(server, grpcAddress(endpoint));
    return { address: `${endpoint.host}:${port}`, close: async () => undefined };
  }
  await prepareSocketPath(endpoint.path);
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const listener = createServer((socket) => injector.injectConnection(new AuthorityFixingConnection(socket)));
  // The umask is in force while the socket file is created, so it never exists with wider permissions.
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(endpoint.path, () => resolve());
    });
  } finally {
    process.umask(previous);
  }
  return {
    address: grpcAddress(endpoint),
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}

function bindAsync(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

/** Stops the server gracefully, cutting off calls that overrun the grace period. */
function shutdownServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.forceShutdown(), graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts the CSI gateway: connects to NATS, starts the configured mode, serves Identity plus the mode's services on
 * the CSI endpoint through one request pipeline, registers with the NATS services framework and serves metrics.
 */
export async function startGateway(
  input: GatewayConfigInput,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const config = parseGatewayConfig(input);
  const startMode = options.modeFactory ?? MODES[config.mode];
  if (!startMode) throw new ConfigError(`CSI_MODE=${config.mode} is not available in this build`);
  const endpoint = parseEndpoint(config.endpoint);
  const logger = options.logger ?? createLogger('csi-gateway');
  const registry = options.registry ?? createMetricsRegistry('csi-gateway');

  // Controller mode waits for NATS; node mode serves at once and joins NATS (service discovery) when it can.
  const needsBus = config.mode === 'controller';
  const stopConnecting = new AbortController();
  const started: {
    mode?: GatewayMode;
    service?: RunningService;
    health?: HealthServer;
    server?: Server;
    listener?: Listener;
  } = {};
  let currentReadiness = (): Readiness => ({
    ready: false,
    reason: needsBus ? 'waiting for NATS' : 'starting',
  });
  // Health endpoints first: while NATS is unreachable at start, liveness holds and readiness says why.
  if (config.metricsPort !== null) {
    started.health = await startHealthServer({
      port: config.metricsPort,
      registry,
      logger,
      ready: () => currentReadiness(),
    });
  }
  let bus: Bus | undefined;
  const connecting = needsBus
    ? Bus.connect(config.bus, { logger, registry })
    : Bus.connectInBackground(config.bus, { logger, registry }, stopConnecting.signal);
  if (needsBus) bus = await connecting;
  else void connecting.then((connected) => (bus = connected));
  const closeAll = async (): Promise<void> => {
    stopConnecting.abort();
    await started.listener?.close();
    if (endpoint.kind === 'unix') await removeSocket(endpoint.path);
    await started.service?.stop();
    await started.mode?.stop();
    await started.health?.close();
    await bus?.close();
  };

  try {
    const mode = (started.mode = await startMode({ config, bus, logger, registry }));
    // The node data path never uses NATS: a NATS outage must not fail Probe (and restart) every node plugin.
    const readiness = (): Readiness =>
      !needsBus || bus?.isConnected() ? mode.readiness() : { ready: false, reason: 'NATS is not connected' };
    const pipeline = new RpcPipeline(logger, registry);
    const server = (started.server = new Server());
    const info = {
      name: config.driverName,
      version: config.driverVersion,
      topologyZone: config.topologyZone,
    };
    server.addService(csiServices.Identity, pipeline.bind('Identity', identityHandlers(info, readiness)));
    if (mode.controller)
      server.addService(csiServices.Controller, pipeline.bind('Controller', mode.controller));
    if (mode.node) server.addService(csiServices.Node, pipeline.bind('Node', mode.node));
    const { address } = (started.listener = await listen(server, endpoint));
    currentReadiness = readiness;
    const registering = connecting.then(async (connected) => {
      if (!connected) return;
      started.service = await startService(
        connected,
        {
          name: 'csi-gateway',
          version: config.driverVersion,
          description: `CSI ${config.mode} plugin ${config.driverName}`,
          metadata: { mode: config.mode, ...(mode.nodeId ? { node: mode.nodeId } : {}) },
          readiness,
        },
        [],
      );
    });
    if (needsBus) await registering;
    else registering.catch((err: unknown) => logger.warn({ err }, 'service discovery registration failed'));
    logger.info(
      { mode: config.mode, address, driver: config.driverName, version: config.driverVersion },
      'CSI gateway serving',
    );

    let stopping: Promise<void> | undefined;
    return {
      config,
      address,
      metricsPort: started.health?.port,
      readiness,
      stop: () =>
        (stopping ??= (async () => {
          logger.info('CSI gateway stopping');
          const closing = started.listener?.close();
          await shutdownServer(server, config.shutdownGraceMs);
          await closing;
          await closeAll();
          logger.info('CSI gateway stopped');
        })()),
    };
  } catch (err) {
    started.server?.forceShutdown();
    await closeAll();
    throw err;
  }
}
