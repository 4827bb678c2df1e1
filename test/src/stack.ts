/**
 * A whole rds-csi deployment inside one test process: a real nats-server, the RouterOS simulator (a real SSH server),
 * the fake Kubernetes API, and each service started through its own start function with its own NATS connection,
 * so services still only meet over NATS. Each service can be stopped and started again to test restarts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBusConfig, type Bus } from '@rds-csi/bus';
import { createCsiClient, type CsiClient } from '@rds-csi/csi-spec';
import { startGateway, type ModeFactory, type RunningGateway } from '@rds-csi/csi-gateway';
import { startNodeWatcher, type NodeWatcher } from '@rds-csi/node-watcher';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import { RdsSimulator, generateKeyPair, type KeyPair } from '@rds-csi/rds-simulator';
import { startConnector, type RunningConnector } from '@rds-csi/rds-connector';
import { startReconciler, type Reconciler } from '@rds-csi/reconciler';
import { connectTestBus } from '@rds-csi/bus/testing';
import { FakeKubeApi, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';

export const BASE_PATH = '/storage-pool/metal-csi';

export interface StackOptions {
  nodes?: string[];
  notReadyGraceMs?: number;
  /** For listings of thousands of disks, which the simulator prints for seconds on a loaded machine. */
  rdsCommandTimeoutMs?: number;
}

const busConfig = (url: string, name: string) =>
  parseBusConfig({ servers: [url], name, requestTimeoutMs: 15_000 });

export class E2eStack {
  connector: RunningConnector | undefined;
  nodeWatcher: NodeWatcher | undefined;
  reconciler: { service: Reconciler; bus: Bus } | undefined;
  gateway: RunningGateway | undefined;
  private nodeGateway: RunningGateway | undefined;
  private readonly clients: CsiClient[] = [];

  private constructor(
    readonly dir: string,
    readonly nats: NatsServerHandle,
    readonly sim: RdsSimulator,
    readonly kube: FakeKubeApi,
    readonly keys: KeyPair,
    readonly client: Bus,
    private readonly options: StackOptions,
  ) {}

  static async start(options: StackOptions = {}): Promise<E2eStack> {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-e2e-'));
    const keys = generateKeyPair();
    const nats = await startNatsServer();
    const sim = await RdsSimulator.start({
      dataDir: join(dir, 'rds'),
      authorizedKeys: [keys.publicKey],
      basePath: BASE_PATH,
    });
    const kube = await FakeKubeApi.start();
    for (const node of options.nodes ?? ['node-a', 'node-b']) kube.addNode(node);
    const client = await connectTestBus(nats.url, 'e2e-client');
    return new E2eStack(dir, nats, sim, kube, keys, client, options);
  }

  get controllerSocket(): string {
    return join(this.dir, 'controller.sock');
  }

  async startConnector(): Promise<RunningConnector> {
    this.connector = await startConnector(
      {
        bus: busConfig(this.nats.url, 'rds-connector'),
        rds: {
          host: '127.0.0.1',
          port: this.sim.port,
          privateKey: Buffer.from(this.keys.privateKey),
          hostKey: this.sim.hostKeyFingerprint,
          basePath: BASE_PATH,
          commandTimeoutMs: this.options.rdsCommandTimeoutMs ?? 5_000,
          keepaliveIntervalMs: 1_000,
        },
        heartbeatIntervalMs: 300,
        metricsPort: 0,
      },
      { logger: silentLogger(), backoff: { minMs: 200, maxMs: 800 } },
    );
    return this.connector;
  }

  async startNodeWatcher(): Promise<NodeWatcher> {
    this.nodeWatcher = await startNodeWatcher(
      {
        bus: busConfig(this.nats.url, 'node-watcher'),
        kubeconfigPath: undefined,
        silentWatchMs: 60_000,
        metricsPort: 0,
        restartBackoff: { minMs: 100, maxMs: 1_000 },
        publishBackoff: { minMs: 100, maxMs: 1_000 },
      },
      {
        logger: silentLogger(),
        registry: createMetricsRegistry('node-watcher'),
        kubeConfig: this.kube.kubeConfig(),
      },
    );
    return this.nodeWatcher;
  }

  async startReconciler(): Promise<Reconciler> {
    const bus = await connectTestBus(this.nats.url, 'reconciler');
    const service = await startReconciler(
      {
        notReadyGraceMs: this.options.notReadyGraceMs ?? 1_500,
        retryMinMs: 100,
        retryMaxMs: 1_000,
        nodeSnapshotTimeoutMs: 2_000,
        kubernetes: { kubeconfigPath: await this.kube.writeKubeconfig(join(this.dir, 'kubeconfig')) },
      },
      { bus },
    );
    this.reconciler = { service, bus };
    return service;
  }

  async stopReconciler(): Promise<void> {
    await this.reconciler?.service.stop();
    await this.reconciler?.bus.close();
    this.reconciler = undefined;
  }

  async startGateway(): Promise<CsiClient> {
    this.gateway = await startGateway(
      {
        mode: 'controller',
        endpoint: `unix://${this.controllerSocket}`,
        metricsPort: null,
        rdsHeartbeatIntervalMs: 300,
        bus: busConfig(this.nats.url, 'csi-gateway'),
      },
      { logger: silentLogger() },
    );
    return this.csiClient(this.controllerSocket);
  }

  /** The gateway in node mode for `nodeId`, on the given mode factory (a loop-device NVMe fabric in tests). */
  async startNodeGateway(modeFactory: ModeFactory): Promise<CsiClient> {
    const socket = join(this.dir, 'node.sock');
    this.nodeGateway = await startGateway(
      {
        mode: 'node',
        endpoint: `unix://${socket}`,
        metricsPort: null,
        bus: busConfig(this.nats.url, 'csi-gateway-node'),
      },
      { logger: silentLogger(), modeFactory },
    );
    return this.csiClient(socket);
  }

  /** Starts every service and waits until the controller Probe is ready and the reconciler serves publishes. */
  async startAll(): Promise<CsiClient> {
    await this.startConnector();
    await this.startNodeWatcher();
    await this.startReconciler();
    const csi = await this.startGateway();
    await waitFor(async () => (await csi.identity.Probe({})).ready?.value === true, {
      message: 'controller Probe ready',
    });
    await this.reconciler?.service.whenReady();
    return csi;
  }

  private csiClient(socket: string): CsiClient {
    const client = createCsiClient(`unix://${socket}`);
    this.clients.push(client);
    return client;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients) c.close();
    const stops = [
      () => this.nodeGateway?.stop(),
      () => this.gateway?.stop(),
      () => this.stopReconciler(),
      () => this.nodeWatcher?.stop(),
      () => this.connector?.stop(),
      () => this.client.close(),
      () => this.kube.close(),
      () => this.sim.stop(),
      () => this.nats.dispose(),
    ];
    for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
    unmountUnder(this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Lazily unmounts everything mounted below `dir`, deepest first, so a failed test leaves no mount behind. */
export function unmountUnder(dir: string): void {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) {
    try {
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
