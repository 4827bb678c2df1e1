/**
 * The real parts the fence model runs against. A World (one per process) holds a nats-server and the RouterOS
 * simulator; each schedule gets a Cluster of its own on a fresh subject prefix: a fake Kubernetes API, the real
 * rds-connector, node-watcher and one or two reconciler replicas, each on its own NATS connection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bus, parseBusConfig } from '@rds-csi/bus';
import { connectTestBus } from '@rds-csi/bus/testing';
import { createLogger, createMetricsRegistry, silentLogger, type Logger } from '@rds-csi/observability';
import { startNodeWatcher, type NodeWatcher } from '@rds-csi/node-watcher';
import { startConnector, type RunningConnector } from '@rds-csi/rds-connector';
import { RdsSimulator, generateKeyPair, type KeyPair } from '@rds-csi/rds-simulator';
import { startReconciler, type Reconciler, type ReconcilerConfigInput } from '@rds-csi/reconciler';
import { FakeKubeApi, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';

const BASE_PATH = '/storage-pool/metal-csi';

/** Logs of the services under test, when MODEL_LOG=debug|info is set. */
function logger(name: string): Logger {
  return process.env.MODEL_LOG ? createLogger(name, { level: process.env.MODEL_LOG }) : silentLogger();
}

export class World {
  private clusters = 0;
  private constructor(
    readonly dir: string,
    readonly nats: NatsServerHandle,
    readonly sim: RdsSimulator,
    readonly keys: KeyPair,
  ) {}

  static async start(): Promise<World> {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-model-'));
    const started: { nats?: NatsServerHandle; sim?: RdsSimulator } = {};
    try {
      const keys = generateKeyPair();
      started.nats = await startNatsServer();
      started.sim = await RdsSimulator.start({
        dataDir: join(dir, 'rds'),
        authorizedKeys: [keys.publicKey],
        basePath: BASE_PATH,
      });
      return new World(dir, started.nats, started.sim, keys);
    } catch (err) {
      await started.sim?.stop();
      await started.nats?.dispose();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  nextPrefix(): string {
    return `m${process.pid}x${++this.clusters}`;
  }

  async dispose(): Promise<void> {
    await this.sim.stop().catch(() => undefined);
    await this.nats.dispose();
    await rm(this.dir, { recursive: true, force: true });
  }
}

interface Replica {
  reconciler: Reconciler;
  bus: Bus;
}

/** The services of one schedule. Every start/stop is what the schedule asks for; nothing restarts by itself. */
export class Cluster {
  connector: RunningConnector | undefined;
  watcher: NodeWatcher | undefined;
  readonly replicas: (Replica | undefined)[] = [undefined, undefined];

  private constructor(
    readonly world: World,
    readonly prefix: string,
    readonly kube: FakeKubeApi,
    readonly client: Bus,
    private readonly kubeconfigPath: string,
    private readonly reconcilerConfig: ReconcilerConfigInput,
  ) {}

  static async start(world: World, reconcilerConfig: ReconcilerConfigInput): Promise<Cluster> {
    const prefix = world.nextPrefix();
    const kube = await FakeKubeApi.start();
    try {
      const kubeconfigPath = await kube.writeKubeconfig(join(world.dir, `${prefix}.kubeconfig`));
      const client = await connectTestBus(world.nats.url, 'model-client', { prefix });
      return new Cluster(world, prefix, kube, client, kubeconfigPath, reconcilerConfig);
    } catch (err) {
      await kube.close();
      throw err;
    }
  }

  private busConfig(name: string) {
    return parseBusConfig({
      servers: [this.world.nats.url],
      name,
      prefix: this.prefix,
      requestTimeoutMs: 8_000,
    });
  }

  async startConnector(): Promise<void> {
    const { sim, keys } = this.world;
    this.connector = await startConnector(
      {
        bus: this.busConfig('rds-connector'),
        rds: {
          host: '127.0.0.1',
          port: sim.port,
          privateKey: Buffer.from(keys.privateKey),
          hostKey: sim.hostKeyFingerprint,
          basePath: BASE_PATH,
          commandTimeoutMs: 5_000,
          keepaliveIntervalMs: 1_000,
        },
        heartbeatIntervalMs: 300,
        metricsPort: 0,
      },
      { logger: logger('rds-connector'), backoff: { minMs: 100, maxMs: 500 } },
    );
  }

  async startWatcher(): Promise<void> {
    if (this.watcher) return;
    this.watcher = await startNodeWatcher(
      {
        bus: this.busConfig('node-watcher'),
        kubeconfigPath: undefined,
        silentWatchMs: 60_000,
        metricsPort: 0,
        restartBackoff: { minMs: 50, maxMs: 500 },
        publishBackoff: { minMs: 50, maxMs: 500 },
      },
      {
        logger: logger('node-watcher'),
        registry: createMetricsRegistry('node-watcher'),
        kubeConfig: this.kube.kubeConfig(),
      },
    );
  }

  async stopWatcher(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.stop();
  }

  /** Starts a replica; it serves once its start-up pass is done (whenReady), which the caller may or may not await. */
  async startReplica(index: 0 | 1): Promise<Reconciler> {
    const running = this.replicas[index];
    if (running) return running.reconciler;
    const name = `reconciler-${index}`;
    const bus = await Bus.connect(this.busConfig(name), {
      logger: logger(name),
      registry: createMetricsRegistry(name),
    });
    try {
      const reconciler = await startReconciler(
        { ...this.reconcilerConfig, kubernetes: { kubeconfigPath: this.kubeconfigPath } },
        { bus },
      );
      this.replicas[index] = { reconciler, bus };
      return reconciler;
    } catch (err) {
      await bus.close();
      throw err;
    }
  }

  async stopReplica(index: 0 | 1): Promise<void> {
    const running = this.replicas[index];
    this.replicas[index] = undefined;
    await running?.reconciler.stop();
    await running?.bus.close();
  }

  runningReplicas(): Reconciler[] {
    return this.replicas.flatMap((r) => (r ? [r.reconciler] : []));
  }

  async dispose(): Promise<void> {
    const stops = [
      () => this.stopReplica(0),
      () => this.stopReplica(1),
      () => this.stopWatcher(),
      () => this.connector?.stop(),
      () => this.client.close(),
      () => this.kube.close(),
    ];
    for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
    await rm(this.kubeconfigPath, { force: true });
  }
}
