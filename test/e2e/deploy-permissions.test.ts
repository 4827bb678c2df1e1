/**
 * The four services, configured from deploy/ exactly as Kubernetes would configure them (their ConfigMaps, Secrets
 * and env entries; only addresses, ports and credentials are the test's), run against a real nats-server that
 * enforces deploy/'s NATS users and permissions, a real SSH RDS simulator and fake Kubernetes API servers. A volume
 * goes through create, publish, snapshot, node loss and re-publish; then the nats-server log must show no
 * permission violation except the deliberate probes, and every Kubernetes request must be allowed by the service's
 * RBAC rules in deploy/rbac.yaml.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { status, type ServiceError } from '@grpc/grpc-js';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import {
  decodeReply,
  endpoints,
  names,
  type EndpointKey,
  type RdsCsiError,
  type ServiceName,
} from '@rds-csi/contracts';
import { Bus, parseBusConfig, startService, type RunningService } from '@rds-csi/bus';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import { createCsiClient, type CsiClient, type Input, type VolumeCapability } from '@rds-csi/csi-spec';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import {
  startFakeKubeApi,
  startNatsServer,
  waitFor,
  type FakeKubeApi,
  type NatsServerHandle,
  type RequestRecord,
} from '@rds-csi/testkit';
import {
  configFromEnv as connectorConfigFromEnv,
  startConnector,
  type RunningConnector,
} from '@rds-csi/rds-connector';
import {
  configFromEnv as nodeWatcherConfigFromEnv,
  startNodeWatcher,
  type NodeWatcher,
} from '@rds-csi/node-watcher';
import {
  configFromEnv as reconcilerConfigFromEnv,
  startReconciler,
  type Reconciler,
} from '@rds-csi/reconciler';
import { gatewayConfigFromEnv, startGateway, type RunningGateway } from '@rds-csi/csi-gateway';
import {
  containerEnv,
  endpointsCalledBy,
  envValue,
  find,
  loadManifests,
  natsConfig,
  natsVariables,
  roleOf,
  serviceContainers,
  workloads,
  type KubeObject,
  type Role,
  type ServiceContainer,
} from './support/deploy.js';

const manifests = loadManifests();
const RDSCSI = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'src', 'main.ts');
const subjects = names();
const VOLUME = 'pvc-3f1c2a4e-7b5d-4c8e-9a01-5e6f7a8b9c0d';
const NODES = ['worker-1', 'worker-2'];
const logger = silentLogger();

/** Requests the operator user may make (docs/operations.md); everything else must be refused. */
const OPERATOR_ENDPOINTS: readonly EndpointKey[] = [
  'reconcileTrigger',
  'orphansReport',
  'attachGet',
  'attachList',
  'attachRelease',
  'volumeGet',
  'volumeList',
  'snapshotGet',
  'snapshotList',
  'capacity',
  'connectionGet',
  'nodesSnapshot',
  'nodesGet',
];

interface Deployed extends ServiceContainer {
  role: Role;
  natsUser: string;
}

const deployed: Deployed[] = serviceContainers(manifests).map((sc) => {
  const natsUser = envValue(sc.container, 'NATS_USER');
  if (!natsUser) throw new Error(`${sc.workload.name}/${sc.container.name} sets no NATS_USER`);
  return { ...sc, role: roleOf(sc.service, envValue(sc.container, 'CSI_MODE')), natsUser };
});

function deployedAs(role: Role): Deployed {
  const found = deployed.find((d) => d.role === role);
  if (!found) throw new Error(`deploy/ runs no ${role}`);
  return found;
}

const mountCapability: Input<VolumeCapability> = {
  mount: { fs_type: 'ext4' },
  access_mode: { mode: 'SINGLE_NODE_WRITER' as never },
};

/** `{"v":99}` is refused by every endpoint before its handler runs: proof of delivery without side effects. */
async function probe(bus: Bus, key: EndpointKey): Promise<RdsCsiError> {
  const subject = subjects.subject(endpoints[key].path);
  const reply = await bus.nc.request(subject, new TextEncoder().encode('{"v":99}'), { timeout: 10_000 });
  try {
    decodeReply(endpoints[key].response, reply.data);
  } catch (err) {
    return err as RdsCsiError;
  }
  throw new Error(`${subject} accepted schema version 99`);
}

interface Violation {
  kind: string;
  user: string;
  subject: string;
}

/** Permission violations the nats-server logged: `Publish Violation - User "x", Subject "y"`. */
async function violations(logFile: string): Promise<Violation[]> {
  const log = await readFile(logFile, 'utf8');
  return [...log.matchAll(/(Publish|Subscription) Violation - User "([^"]+)", Subject "([^"]+)"/g)].map(
    (m) => ({
      kind: m[1] as string,
      user: m[2] as string,
      subject: m[3] as string,
    }),
  );
}

interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The rules granted to a ServiceAccount of deploy/ through its (Cluster)RoleBindings. */
function rulesOf(serviceAccount: string): RbacRule[] {
  return manifests.flatMap(({ object }) => {
    if (object.kind !== 'ClusterRoleBinding' && object.kind !== 'RoleBinding') return [];
    const binding = object as KubeObject & {
      subjects: { kind: string; name: string }[];
      roleRef: { kind: string; name: string };
    };
    if (!binding.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount)) return [];
    return (find(manifests, binding.roleRef.kind, binding.roleRef.name).rules ?? []) as RbacRule[];
  });
}

/** A request to the API server as RBAC sees it: API group, resource and verb. */
function rbacRequest(record: RequestRecord): { group: string; resource: string; verb: string } {
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(.*)$/.exec(record.path);
  if (!match) throw new Error(`not an API path: ${record.path}`);
  let segments = (match[2] as string).split('/');
  if (segments[0] === 'namespaces' && segments.length >= 3) segments = segments.slice(2);
  const [resource, name] = segments as [string, string | undefined];
  const writes: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const watching = record.query.watch === 'true' || record.query.watch === '1';
  const verb = writes[record.method] ?? (watching ? 'watch' : name ? 'get' : 'list');
  return { group: match[1] ?? '', resource, verb };
}

function allowed(rules: RbacRule[], request: { group: string; resource: string; verb: string }): boolean {
  return rules.some(
    (r) =>
      r.apiGroups.includes(request.group) &&
      r.resources.includes(request.resource) &&
      r.verbs.includes(request.verb),
  );
}

describe('deploy/: the services under their own NATS users and Kubernetes RBAC', { timeout: 180_000 }, () => {
  let dir: string;
  let nats: NatsServerHandle;
  let logFile: string;
  let sim: RdsSimulator;
  let watcherApi: FakeKubeApi;
  let reconcilerApi: FakeKubeApi;
  let connector: RunningConnector | undefined;
  let watcher: NodeWatcher | undefined;
  let reconcilerBus: Bus | undefined;
  let reconciler: Reconciler | undefined;
  let gateway: RunningGateway | undefined;
  let csi: CsiClient | undefined;
  let keyFile: string;
  let watcherKubeconfig: string;
  let reconcilerKubeconfig: string;
  const clients: Bus[] = [];
  const services: RunningService[] = [];
  const passwords: Record<string, string> = {};
  /** Violations the probes below cause on purpose. */
  const expectedViolations: Violation[] = [];

  /** The container's environment from deploy/, with the test's addresses and credentials in place of the cluster's. */
  function envOf(role: Role, overrides: Record<string, string>): NodeJS.ProcessEnv {
    const { container } = deployedAs(role);
    const env = containerEnv(manifests, container, {
      secrets: { 'rds-csi-nats-users': passwords, 'rds-csi-rds-ssh': { 'host-key': sim.hostKeyFingerprint } },
      fields: { 'spec.nodeName': NODES[0] as string },
    });
    const cluster = { NATS_URL: nats.url, NATS_REPLICAS: '1', METRICS_PORT: '0' };
    for (const name of Object.keys({ ...cluster, ...overrides })) {
      if (name !== 'KUBECONFIG')
        assert.ok(name in env, `${role}: deploy/ does not set ${name}, so the test must not either`);
    }
    return { ...env, ...cluster, ...overrides };
  }

  async function connectAs(user: string): Promise<Bus> {
    const bus = await Bus.connect(
      parseBusConfig({
        servers: [nats.url],
        name: user,
        user,
        password: passwords[user],
        // The operator is the NATS CLI, which uses the default inbox prefix; services get their own.
        inboxPrefix: user === 'operator' ? '_INBOX' : undefined,
        requestTimeoutMs: 10_000,
      }),
      {
        logger,
        registry: createMetricsRegistry(user),
      },
    );
    clients.push(bus);
    return bus;
  }

  /** Publishes where the user may not: the nats-server must refuse it and log the violation. */
  async function expectRefused(bus: Bus, subject: string): Promise<void> {
    const violation = { kind: 'Publish', user: bus.config.name, subject };
    expectedViolations.push(violation);
    bus.nc.publish(subject, new TextEncoder().encode('{"v":99}'));
    await bus.nc.flush();
    const logged = (v: Violation) =>
      v.kind === violation.kind && v.user === violation.user && v.subject === subject;
    await waitFor(async () => (await violations(logFile)).some(logged), {
      message: `${bus.config.name} refused ${subject}`,
    });
  }

  /** Subscribes where the user may not (another service's reply inbox): the server must refuse and log it. */
  async function expectSubscriptionRefused(bus: Bus, subject: string): Promise<void> {
    const violation = { kind: 'Subscription', user: bus.config.name, subject };
    expectedViolations.push(violation);
    bus.nc.subscribe(subject, { callback: () => undefined });
    await bus.nc.flush().catch(() => undefined);
    const logged = (v: Violation) =>
      v.kind === violation.kind && v.user === violation.user && v.subject === subject;
    await waitFor(async () => (await violations(logFile)).some(logged), {
      message: `${bus.config.name} refused a subscription to ${subject}`,
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdscsi-deploy-'));
    logFile = join(dir, 'nats.log');

    // NATS with deploy/'s accounts: the passwords the StatefulSet would read from the Secret.
    const usersSecret = find(manifests, 'Secret', 'rds-csi-nats-users');
    for (const key of Object.keys(usersSecret.stringData as object))
      passwords[key] = `p${randomBytes(20).toString('hex')}`;
    const natsPod = workloads(manifests).find((w) => w.name === 'rds-csi-nats')!.pod.containers[0]!;
    const natsEnv = containerEnv(manifests, natsPod, {
      secrets: { 'rds-csi-nats-users': passwords },
      fields: { 'metadata.name': 'rds-csi-nats-0' },
    });
    const { accounts } = natsConfig(manifests);
    for (const variable of natsVariables(accounts)) process.env[variable] = natsEnv[variable];
    nats = await startNatsServer({ extraConfig: `${accounts}\nlog_file: "${logFile}"\n` });

    const keys = generateKeyPair();
    sim = await RdsSimulator.start({ dataDir: join(dir, 'rds'), authorizedKeys: [keys.publicKey] });
    watcherApi = await startFakeKubeApi({ nodes: NODES });
    reconcilerApi = await startFakeKubeApi();
    reconcilerApi.addPersistentVolume(VOLUME, { claim: { namespace: 'apps', name: 'data' } });

    keyFile = join(dir, 'rds-key');
    await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
    watcherKubeconfig = await watcherApi.writeKubeconfig(join(dir, 'watcher.kubeconfig'));
    reconcilerKubeconfig = await reconcilerApi.writeKubeconfig(join(dir, 'reconciler.kubeconfig'));
    await startAll();
  });

  /** Starts each service as its container's main.ts would, from the environment deploy/ gives it. */
  async function startAll(): Promise<void> {
    connector = await startConnector(
      connectorConfigFromEnv(
        envOf('rds-connector', {
          RDS_ADDRESS: '127.0.0.1',
          RDS_SSH_PORT: String(sim.port),
          RDS_SSH_KEY_FILE: keyFile,
        }),
      ),
      { logger },
    );
    watcher = await startNodeWatcher(
      nodeWatcherConfigFromEnv(envOf('node-watcher', { KUBECONFIG: watcherKubeconfig })),
      {
        logger,
        registry: createMetricsRegistry('node-watcher'),
      },
    );
    const reconcilerConfig = reconcilerConfigFromEnv(
      envOf('reconciler', { KUBECONFIG: reconcilerKubeconfig }),
    );
    reconcilerBus = await Bus.connect(reconcilerConfig.bus, {
      logger,
      registry: createMetricsRegistry('reconciler'),
    });
    reconciler = await startReconciler(reconcilerConfig.reconciler, { bus: reconcilerBus });
    gateway = await startGateway(
      gatewayConfigFromEnv(
        envOf('csi-gateway/controller', { CSI_ENDPOINT: `unix://${join(dir, 'csi.sock')}` }),
      ),
      {
        logger,
      },
    );
    csi = createCsiClient(gateway.address);
  }

  async function stopAll(): Promise<void> {
    csi?.close();
    await gateway?.stop();
    await reconciler?.stop();
    await reconcilerBus?.close();
    await watcher?.stop();
    await connector?.stop();
  }

  async function ready(): Promise<void> {
    await waitFor(async () => (await csi!.identity.Probe({})).ready?.value === true, {
      timeoutMs: 30_000,
      message: 'Probe ready',
    });
    await reconciler!.whenReady();
    await waitFor(() => watcher!.isSynced(), { message: 'node cache synced' });
  }

  after(async () => {
    await stopAll();
    for (const service of services) await service.stop();
    for (const bus of clients) await bus.close();
    await Promise.all([watcherApi?.close(), reconcilerApi?.close(), sim?.stop()]);
    await nats?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('the gateway is ready once the connector reaches the RDS (connection state crosses the bus)', async () => {
    await ready();
  });

  it('a volume is created with the example StorageClass parameters, published, fenced and snapshotted', async () => {
    const storageClass = find(manifests, 'StorageClass', 'rds-nvme') as KubeObject & {
      parameters: Record<string, string>;
    };
    const created = await csi!.controller.CreateVolume({
      name: VOLUME,
      capacity_range: { required_bytes: 64 * 1024 * 1024 },
      volume_capabilities: [mountCapability],
      // What the provisioner adds with --extra-create-metadata.
      parameters: {
        ...storageClass.parameters,
        'csi.storage.k8s.io/pvc/name': 'data',
        'csi.storage.k8s.io/pvc/namespace': 'apps',
        'csi.storage.k8s.io/pv/name': VOLUME,
      },
    });
    assert.equal(created.volume?.volume_id, VOLUME);
    const context = created.volume.volume_context;
    const publish = { volume_id: VOLUME, volume_capability: mountCapability, volume_context: context };
    const published = await csi!.controller.ControllerPublishVolume({ ...publish, node_id: 'worker-1' });
    assert.equal(published.publish_context.nvme_nqn, `nqn.2000-02.com.mikrotik:${VOLUME}`);
    await assert.rejects(
      csi!.controller.ControllerPublishVolume({ ...publish, node_id: 'worker-2' }),
      (err: ServiceError) => err.code === status.FAILED_PRECONDITION,
    );

    const snapshot = await csi!.controller.CreateSnapshot({
      name: 'snapshot-deploy-test',
      source_volume_id: VOLUME,
    });
    const listed = await csi!.controller.ListSnapshots({ source_volume_id: VOLUME });
    assert.deepEqual(
      listed.entries.map((e) => e.snapshot?.snapshot_id),
      [snapshot.snapshot?.snapshot_id],
    );
    await csi!.controller.DeleteSnapshot({ snapshot_id: snapshot.snapshot!.snapshot_id });
  });

  it('a deleted node loses its attachment through the node events stream, and the volume publishes elsewhere', async () => {
    watcherApi.deleteNode('worker-1');
    const context =
      (await csi!.controller.ControllerGetVolume({ volume_id: VOLUME })).volume?.volume_context ?? {};
    await waitFor(
      () =>
        csi!.controller
          .ControllerPublishVolume({
            volume_id: VOLUME,
            node_id: 'worker-2',
            volume_capability: mountCapability,
            volume_context: context,
          })
          .then(() => true)
          .catch(() => false),
      { timeoutMs: 30_000, message: 'publish to worker-2 after worker-1 was deleted' },
    );
    await waitFor(() => reconcilerApi.events().length >= 2, { message: 'Events on the PV and its PVC' });
  });

  it('every service restarts under its user with streams, buckets and consumers already in place', async () => {
    await stopAll();
    await startAll();
    await ready();
    const attached = await csi!.controller.ControllerGetVolume({ volume_id: VOLUME });
    assert.deepEqual(attached.status?.published_node_ids, ['worker-2']);
  });

  it('every endpoint a service calls reaches its owner under the deployed users', async () => {
    const probed = new Set<EndpointKey>();
    for (const d of deployed) {
      if (d.role === 'csi-gateway/node') continue; // no node mode process here: checked at the bus level below
      const bus = await connectAs(d.natsUser);
      for (const key of endpointsCalledBy(d.role)) {
        const err = await probe(bus, key);
        assert.equal(err.code, 'INVALID_ARGUMENT', `${d.role} -> ${key}: ${err.message}`);
        probed.add(key);
      }
    }
    const operator = await connectAs('operator');
    for (const key of OPERATOR_ENDPOINTS) {
      assert.equal((await probe(operator, key)).code, 'INVALID_ARGUMENT', `operator -> ${key}`);
      probed.add(key);
    }
    const unserved = (Object.keys(endpoints) as EndpointKey[]).filter((key) => !probed.has(key));
    assert.deepEqual(
      unserved,
      [],
      'endpoints no deployed user calls (so no test proves their owner may serve them)',
    );
  });

  it('the node plugin user answers discovery and can reach nothing else', async () => {
    const node = deployedAs('csi-gateway/node');
    const bus = await connectAs(node.natsUser);
    // What the gateway does on NATS in node mode: register with the services framework, nothing more.
    const description = 'node mode, permission probe';
    services.push(await startService(bus, { name: 'csi-gateway', version: '0.0.0', description }, []));
    for (const key of endpointsCalledBy('csi-gateway/node')) {
      assert.equal((await probe(bus, key)).code, 'INVALID_ARGUMENT', key);
    }
    const operator = await connectAs('operator');
    const infos = await operator.nc.requestMany('$SRV.INFO.csi-gateway', undefined, {
      strategy: 'timer',
      maxWait: 3_000,
    });
    const described: string[] = [];
    for await (const msg of infos) described.push(msg.json<{ description: string }>().description);
    assert.ok(described.includes(description), 'the node user answers $SRV.INFO');
    for (const key of ['volumeDelete', 'attachPublish', 'reconcileTrigger', 'connectionGet'] as const) {
      await expectRefused(bus, subjects.subject(endpoints[key].path));
    }
  });

  it('the operator discovers the services, triggers a pass, reads KV and streams, and cannot change volumes', async () => {
    const operator = await connectAs('operator');
    const pings = await operator.nc.requestMany('$SRV.PING', undefined, {
      strategy: 'timer',
      maxWait: 3_000,
    });
    const found = new Set<string>();
    for await (const msg of pings) found.add(msg.json<{ name: string }>().name);
    for (const service of [
      'rds-connector',
      'reconciler',
      'node-watcher',
      'csi-gateway',
    ] satisfies ServiceName[]) {
      assert.ok(found.has(service), `nats micro ls shows ${service}`);
    }

    const report = await operator.request(endpoints.reconcileTrigger, { dryRun: true });
    assert.equal(report.dryRun, true);

    const kv = await new Kvm(operator.nc).open(subjects.attachmentsBucket);
    const entry = await kv.get(VOLUME);
    assert.match(entry?.string() ?? '', /worker-2/);
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    assert.deepEqual(keys.sort(), ['_store-identity', VOLUME], 'the store identity beside the record');

    const events = await jetstream(operator.nc).consumers.get(subjects.nodeEventsStream);
    const first = await events.next({ expires: 5_000 });
    assert.ok(first, 'the node events stream can be viewed');
    await events.delete();

    for (const key of [
      'volumeCreate',
      'volumeDelete',
      'volumeResize',
      'volumeFence',
      'attachPublish',
      'attachUnpublish',
    ] as const) {
      await expectRefused(operator, subjects.subject(endpoints[key].path));
    }
    // The reconciler's durable consumer is not the operator's to delete (events would be missed until a pass).
    const jsm = await jetstreamManager(operator.nc);
    await assert.rejects(jsm.consumers.delete(subjects.nodeEventsStream, 'reconciler'));
    expectedViolations.push({
      kind: 'Publish',
      user: 'operator',
      subject: `$JS.API.CONSUMER.DELETE.${subjects.nodeEventsStream}.reconciler`,
    });
  });

  it('rdscsi works as the operator user, and a user without the subject gets PERMISSION_DENIED', async () => {
    const cli = (user: string, ...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', RDSCSI, '--server', nats.url, '--user', user, ...args],
          { env: { ...process.env, RDSCSI_NATS_PASSWORD: passwords[user] } },
          (err, stdout, stderr) =>
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
      });
    for (const command of [
      ['status'],
      ['volumes'],
      ['attachments'],
      ['nodes'],
      ['reconcile', '--dry-run'],
      ['orphans'],
    ]) {
      const result = await cli('operator', '--json', ...command);
      assert.equal(result.code, 0, `rdscsi ${command.join(' ')}: ${result.stderr}`);
      JSON.parse(result.stdout);
    }
    const attachments = JSON.parse(
      (await cli('operator', '--json', 'attachments', '--node', 'worker-2')).stdout,
    ) as {
      attachments: { volumeId: string }[];
    };
    assert.deepEqual(
      attachments.attachments.map((a) => a.volumeId),
      [VOLUME],
    );
    const elsewhere = await cli('operator', 'release', VOLUME, '--node', 'worker-1', '--yes');
    assert.match(elsewhere.stderr, /^NOT_FOUND: volume \S+ is not attached to node worker-1/);
    const denied = await cli('node-watcher', 'volumes');
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^PERMISSION_DENIED: /);
    expectedViolations.push({
      kind: 'Publish',
      user: 'node-watcher',
      subject: subjects.subject(endpoints.volumeList.path),
    });
  });

  it('no service can write where it does not own the data', async () => {
    const gatewayBus = await connectAs(deployedAs('csi-gateway/controller').natsUser);
    await expectRefused(gatewayBus, subjects.nodeEvent('deleted', 'worker-2'));
    await expectRefused(gatewayBus, `$KV.${subjects.attachmentsBucket}.${VOLUME}`);
    // Only the reconciler, which owns the attachment records, changes the storage fence.
    await expectRefused(gatewayBus, subjects.subject(endpoints.volumeFence.path));
    const watcherBus = await connectAs(deployedAs('node-watcher').natsUser);
    await expectRefused(watcherBus, `$KV.${subjects.attachmentsBucket}.${VOLUME}`);
    await expectRefused(watcherBus, subjects.rdsConnection);
    const connectorBus = await connectAs(deployedAs('rds-connector').natsUser);
    await expectRefused(connectorBus, subjects.subject(endpoints.attachUnpublish.path));
    // Replies are private: no service can listen on another's inbox (e.g. the reconciler's publish answers).
    await expectSubscriptionRefused(connectorBus, '_INBOX_csi-gateway.>');
    await expectSubscriptionRefused(gatewayBus, '_INBOX.>');
    // Nothing changed: the record still names worker-2 only.
    const operator = await connectAs('operator');
    const record = await operator.request(endpoints.attachGet, { volumeId: VOLUME });
    assert.deepEqual(
      record.nodes.map((n) => n.nodeId),
      ['worker-2'],
    );
  });

  it('the nats-server logged no permission violation besides the deliberate probes', async () => {
    const key = (v: Violation) => `${v.kind} ${v.user} ${v.subject}`;
    await waitFor(async () => (await violations(logFile)).length >= expectedViolations.length, {
      message: 'probe violations logged',
    });
    assert.deepEqual(
      [...new Set((await violations(logFile)).map(key))].sort(),
      [...new Set(expectedViolations.map(key))].sort(),
    );
  });

  it("each service's Kubernetes API requests are allowed by its RBAC rules, and each rule is used", async () => {
    const checks: [Role, FakeKubeApi][] = [
      ['node-watcher', watcherApi],
      ['reconciler', reconcilerApi],
    ];
    for (const [role, api] of checks) {
      const serviceAccount = deployedAs(role).workload.pod.serviceAccountName!;
      const rules = rulesOf(serviceAccount);
      const requests = api.requests().map(rbacRequest);
      assert.ok(requests.length > 0, `${role} made no API request`);
      for (const request of requests)
        assert.ok(allowed(rules, request), `${serviceAccount} may not ${request.verb} ${request.resource}`);
      const granted = rules.flatMap((r) =>
        r.resources.flatMap((resource) => r.verbs.map((verb) => `${verb} ${resource}`)),
      );
      const used = new Set(requests.map((r) => `${r.verb} ${r.resource}`));
      assert.deepEqual(
        granted.filter((g) => !used.has(g)),
        [],
        `${serviceAccount} holds rights it never used`,
      );
    }
  });
});
