/**
 * Test harness: a real nats-server, a bus client playing gateway/operator, a small stand-in for the node-watcher's
 * `nodes.snapshot` (paged) and `nodes.get` endpoints over a mutable node list, node events published to the real
 * JetStream stream, and reconciler instances each on their own connection. Every test gets its own subject prefix,
 * so its bucket, stream and consumer are its own.
 */
import { jetstream } from '@nats-io/jetstream';
import {
  provisionNodeEventsStream,
  handle,
  pageOf,
  startService,
  type Bus,
  type RunningService,
} from '@rds-csi/bus';
import {
  RdsCsiError,
  encodeMessage,
  endpoints,
  type NodeEvent,
  type NodeEventKind,
  type NodeState,
  type PublishRequest,
} from '@rds-csi/contracts';
import { createLogger, type Logger } from '@rds-csi/observability';
import type { MetricValue } from 'prom-client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { connectTestBus } from '@rds-csi/bus/testing';
import {
  FakeKubeApi,
  startNatsServer,
  type FakeKubeApiOptions,
  type NatsServerHandle,
} from '@rds-csi/testkit';
import { startReconciler, type Reconciler } from '../src/index.js';
import type { ReconcilerConfigInput } from '../src/config.js';

export const VOLUMES = [
  'pvc-00000000-0000-4000-8000-000000000001',
  'pvc-00000000-0000-4000-8000-000000000002',
  'pvc-00000000-0000-4000-8000-000000000003',
  'pvc-00000000-0000-4000-8000-000000000004',
] as const;

/** Logs of the services under test, when TEST_LOG=debug|info is set. */
function testLogger(name: string): Logger | undefined {
  return process.env.TEST_LOG ? createLogger(name, { level: process.env.TEST_LOG }) : undefined;
}

/** A node object's identity as the fake API would give it: a stable uid per name, created long ago. */
export function identityOf(name: string): Pick<NodeState, 'name' | 'uid' | 'createdAt'> {
  return { name, uid: `uid-${name}`, createdAt: '2020-01-01T00:00:00.000Z' };
}

/** The node-watcher's current-nodes endpoint, as the reconciler sees it; answers UNAVAILABLE until `synced`. */
export class FakeNodeWatcher {
  readonly nodes = new Map<string, NodeState>();
  synced = true;
  /** When the cache was last known current; now when unset. */
  currentAt: Date | undefined;
  /** Snapshot requests (one per page; passes ask for them) and single-node lookups (publish asks for them). */
  requests = 0;
  lookups = 0;
  /** A smaller page bound than the connection's, to make any node list span pages. */
  pageBytes: number | undefined;
  private held: Promise<void> | undefined;
  private service: RunningService | undefined;

  ready(...names: string[]): this {
    for (const name of names) this.nodes.set(name, { ...identityOf(name), ready: true, outOfService: false });
    return this;
  }

  notReady(name: string, since: Date): void {
    this.nodes.set(name, {
      ...identityOf(name),
      ready: false,
      outOfService: false,
      notReadySince: since.toISOString(),
    });
  }

  /** Holds every answer until the returned release is called (to keep a pass running). */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async start(bus: Bus): Promise<void> {
    this.service = await startService(
      bus,
      { name: 'node-watcher', version: '0.0.0', description: 'test stand-in' },
      [
        handle(endpoints.nodesSnapshot, async (request, ctx) => {
          this.requests++;
          await this.held;
          if (!this.synced) throw new RdsCsiError('UNAVAILABLE', 'node cache not synced');
          const now = new Date().toISOString();
          const page = pageOf(
            [...this.nodes.values()],
            (n) => n.name,
            request,
            this.pageBytes ?? ctx.maxReplyBytes,
          );
          return {
            nodes: page.items,
            syncedAt: this.currentAt?.toISOString() ?? now,
            currentAt: this.currentAt?.toISOString() ?? now,
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          };
        }),
        handle(endpoints.nodesGet, async ({ name }) => {
          this.lookups++;
          await this.held;
          if (!this.synced) throw new RdsCsiError('UNAVAILABLE', 'node cache not synced');
          const node = this.nodes.get(name);
          if (!node) throw new RdsCsiError('NOT_FOUND', `node ${name} does not exist`);
          return node;
        }),
      ],
    );
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }
}

let prefixes = 0;

export const TEST_CONFIG: ReconcilerConfigInput = {
  notReadyGraceMs: 1_500,
  periodMs: 3_600_000,
  retryMinMs: 100,
  retryMaxMs: 500,
  nodeSnapshotTimeoutMs: 3_000,
  // No rds-connector answers rds.volume.fence in these tests; the fence's own tests turn it on.
  storageFence: false,
};

export interface RunningReconciler {
  reconciler: Reconciler;
  bus: Bus;
  /** Stops the reconciler and closes its connection (a process exit, as far as NATS can tell). */
  stop(): Promise<void>;
}

export class Harness {
  readonly watcher = new FakeNodeWatcher();
  private readonly running = new Set<RunningReconciler>();

  private constructor(
    readonly nats: NatsServerHandle,
    readonly prefix: string,
    readonly client: Bus,
    private readonly watcherBus: Bus,
  ) {}

  /** A harness on `nats` (one per test file) with a fresh prefix; `start` creates a server of its own. */
  static async create(nats: NatsServerHandle): Promise<Harness> {
    const prefix = `t${process.pid}x${++prefixes}`;
    const client = await connectTestBus(nats.url, 'client', { prefix });
    const watcherBus = await connectTestBus(nats.url, 'node-watcher', { prefix });
    const harness = new Harness(nats, prefix, client, watcherBus);
    await harness.watcher.start(watcherBus);
    await provisionNodeEventsStream(client);
    return harness;
  }

  async startReconciler(
    overrides: Partial<ReconcilerConfigInput> = {},
    name = 'reconciler',
  ): Promise<RunningReconciler> {
    const logger = testLogger(name);
    const bus = await connectTestBus(this.nats.url, name, {
      prefix: this.prefix,
      ...(logger ? { logger } : {}),
    });
    const reconciler = await startReconciler({ ...TEST_CONFIG, ...overrides }, { bus });
    const handle: RunningReconciler = {
      reconciler,
      bus,
      stop: async () => {
        this.running.delete(handle);
        await reconciler.stop();
        await bus.close();
      },
    };
    this.running.add(handle);
    return handle;
  }

  /** Starts a reconciler and waits for its start-up pass. */
  async startReady(
    overrides: Partial<ReconcilerConfigInput> = {},
    name?: string,
  ): Promise<RunningReconciler> {
    const running = await this.startReconciler(overrides, name);
    await running.reconciler.whenReady();
    return running;
  }

  publish(volumeId: string, nodeId: string, extra: Partial<PublishRequest> = {}) {
    return this.client.request(endpoints.attachPublish, {
      volumeId,
      nodeId,
      access: 'single-node',
      volumeMode: 'filesystem',
      ...extra,
    });
  }

  unpublish(volumeId: string, nodeId?: string) {
    return this.client.request(
      endpoints.attachUnpublish,
      nodeId === undefined ? { volumeId } : { volumeId, nodeId },
    );
  }

  async nodesOf(volumeId: string): Promise<string[]> {
    const { attachments } = await this.client.request(endpoints.attachList, { volumeIds: [volumeId] });
    return attachments.find((a) => a.volumeId === volumeId)?.nodes.map((n) => n.nodeId) ?? [];
  }

  /** Publishes a node event to the JetStream stream, as the node-watcher does. */
  async nodeEvent(kind: NodeEventKind, node: string, extra: Partial<NodeEvent> = {}): Promise<void> {
    const event: NodeEvent = { v: 1, kind, node, at: new Date().toISOString(), ...extra };
    await this.rawEvent(this.client.names.nodeEvent(kind, node), encodeMessage(event));
  }

  async rawEvent(subject: string, data: Uint8Array): Promise<void> {
    await jetstream(this.client.nc).publish(subject, data);
  }

  async close(): Promise<void> {
    for (const running of [...this.running]) await running.stop();
    await this.watcher.stop();
    await this.watcherBus.close();
    await this.client.close();
  }
}

/**
 * Sums the samples of a metric that carry `labels` (0 when absent), to wait on what the reconciler did rather than
 * on time. Histogram samples are named with their suffix, e.g. `..._seconds_count`.
 */
export async function metricValue(
  bus: Bus,
  sample: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const base = sample.replace(/_(count|sum|bucket)$/, '');
  const metric = bus.registry.getSingleMetric(sample) ?? bus.registry.getSingleMetric(base);
  if (!metric) return 0;
  const { values } = (await metric.get()) as { values: (MetricValue<string> & { metricName?: string })[] };
  return values
    .filter((v) => (v.metricName ?? sample) === sample)
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

export interface KubernetesFixture {
  readonly nats: NatsServerHandle;
  readonly kube: FakeKubeApi;
  /** A kubeconfig file for the fake API server. */
  kubeconfig(): Promise<string>;
}

/**
 * For a describe block: a nats-server and a fake Kubernetes API started before its tests and stopped after them,
 * with a temporary directory for the kubeconfig.
 */
export function withKubernetes(options: FakeKubeApiOptions = {}): KubernetesFixture {
  let nats: NatsServerHandle | undefined;
  let kube: FakeKubeApi | undefined;
  let dir: string | undefined;
  before(async () => {
    nats = await startNatsServer();
    kube = await FakeKubeApi.start(options);
    dir = await mkdtemp(join(tmpdir(), 'reconciler-kube-'));
  });
  after(async () => {
    await kube?.close();
    await nats?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Kubernetes fixture is used outside its describe block');
    return value;
  };
  return {
    get nats() {
      return started(nats);
    },
    get kube() {
      return started(kube);
    },
    kubeconfig: () => started(kube).writeKubeconfig(join(started(dir), 'kubeconfig')),
  };
}
