/**
 * Issue 8's model-based proof: fast-check generates schedules (schedule.ts) and each runs against the real services
 * (world.ts). The model keeps what the CO was told (publishes answered OK and not yet unpublished: grants) and the
 * history of every Node object, and checks after every step:
 * - never two RWO writers: no single-node record holds two nodes, and no used RWO export admits two hosts at the RDS;
 * - never a live attachment cleared: a grant to a Node object that still exists and has been Ready and untainted
 *   since the publish stays in its record, and its host stays admitted at the RDS;
 * - a publish answered OK records the Node object the node-watcher already reported under that name;
 * and at quiescence (after the schedule, with a node-watcher and a reconciler running) that every stale attachment
 * (its Node object deleted or replaced, tainted out-of-service, or NotReady past the grace) is cleared, and revoked at
 * the RDS, within STALE_BOUND_MS.
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { headers as natsHeaders } from '@nats-io/nats-core';
import fc from 'fast-check';
import {
  Attachment,
  decodeMessage,
  type AttachedNode,
  endpoints,
  toRdsCsiError,
  type AttachAccess,
} from '@rds-csi/contracts';
import { parseAllowList } from '@rds-csi/routeros';
import { OUT_OF_SERVICE_TAINT_KEY, kubeTime, waitFor } from '@rds-csi/testkit';
import { STORE_IDENTITY_KEY, type ReconcilerConfigInput } from '@rds-csi/reconciler';
import {
  NODE_NAMES,
  VOLUME_KINDS,
  describeOp,
  scheduleArbitrary,
  type NodeName,
  type Op,
  type Schedule,
  type VolumeIndex,
} from './schedule.js';
import { Cluster, World } from './world.js';

/** The reconciler's NotReady grace in the model (small, so schedules end quickly). */
export const GRACE_MS = 1_000;
/** lastTransitionTime has whole seconds: the reconciler counts the grace from the end of that second. */
const RESOLUTION_MS = 1_000;
/**
 * How long after the end of a schedule a stale attachment may stay: a node event whose handler stopped with its
 * replica is redelivered after the consumer's ack wait (30 s), plus retries.
 */
export const STALE_BOUND_MS = 40_000;
const READY_BOUND_MS = 30_000;
const NODE_UID_HEADER = 'Rdscsi-Node-Uid';

const RECONCILER_CONFIG: ReconcilerConfigInput = {
  notReadyGraceMs: GRACE_MS,
  retryMinMs: 100,
  retryMaxMs: 500,
  nodeSnapshotTimeoutMs: 2_000,
  periodMs: 3_600_000,
  orphanGraceMs: 3_600_000,
};

export interface FenceModelOptions {
  /** Schedules to run. */
  runs: number;
  /** fast-check seed; random when absent (the result names it, so a failure replays). */
  seed?: number;
  /** fast-check replay path of a counterexample (with its seed). */
  path?: string;
  maxSteps?: number;
  /** Store loss (deleting the KV bucket) in the schedules; on unless false. */
  includeStoreLoss?: boolean;
  /**
   * At the end, stopped replicas stay down as long as one runs. Off by default: a replica's NotReady re-checks live
   * in its memory, so a node whose not-ready event a stopped replica handled is cleared only by the periodic pass.
   */
  replicasStayDown?: boolean;
  /** Schedules run before the random ones (regressions: schedules that once failed). */
  examples?: Schedule[];
  /** Told about every schedule that ran. */
  onSchedule?(summary: string): void;
}

export interface FenceModelResult {
  runs: number;
  seed: number;
  failure?: { message: string; schedule: Schedule | undefined; path: string | undefined };
}

type BlemishKind = 'not-ready' | 'not-ready-past-grace' | 'out-of-service' | 'deleted';

/** One Node object (one uid) and every time it was not a healthy place for an attachment. */
interface NodeObject {
  name: NodeName;
  uid: string;
  /** metadata.creationTimestamp (whole seconds). */
  createdAt: number;
  ready: boolean;
  tainted: boolean;
  deleted: boolean;
  /** lastTransitionTime of the Ready condition while NotReady (whole seconds, as the API server has it). */
  notReadySince: number | undefined;
  /** start: before the API call; end: after the call that ended it. */
  blemishes: { kind: BlemishKind; start: number; end?: number }[];
}

/** A publish answered OK and not unpublished since: the CO believes the volume is attached there. */
interface Grant {
  volume: VolumeIndex;
  node: NodeName;
  uid: string;
  requestedAt: number;
}

class Violation extends Error {}

export const hostNqnOf = (node: NodeName): string =>
  `nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-00000000000${NODE_NAMES.indexOf(node)}`;

/** One schedule against one cluster. */
class ScheduleRun {
  private readonly objects = new Map<string, NodeObject>();
  private readonly current = new Map<NodeName, NodeObject>();
  private grants: Grant[] = [];
  private readonly events: { subject: string; data: Uint8Array; uid: string | undefined }[] = [];
  /** Volumes published at least once: their exports must be restricted from then on. */
  private readonly used = new Set<VolumeIndex>();
  private readonly volumeIds = VOLUME_KINDS.map(() => `pvc-${randomUUID()}`);
  private readonly volumeAttachments = new Set<string>();
  /** A store loss happened and the live attachments are not all recorded again yet. */
  private storeLost = false;
  /** When a `ready` event of each node was last published again. */
  readonly stats = { ok: 0, refused: 0, cleared: 0 };

  constructor(
    private readonly cluster: Cluster,
    private readonly schedule: Schedule,
    private readonly options: FenceModelOptions,
  ) {}

  async setUp(): Promise<void> {
    const { cluster } = this;
    cluster.client.nc.subscribe(cluster.client.names.nodeEventsWildcard, {
      callback: (_err, msg) => {
        const uid = msg.headers?.get(NODE_UID_HEADER) || undefined;
        this.events.push({ subject: msg.subject, data: msg.data, uid });
      },
    });
    for (const name of NODE_NAMES) this.create(name);
    await cluster.startConnector();
    await waitFor(
      async () => (await cluster.client.request(endpoints.connectionGet, {})).state === 'connected',
      { message: 'rds-connector connected to the RDS simulator' },
    );
    for (const [i, id] of this.volumeIds.entries()) {
      await cluster.client.request(endpoints.volumeCreate, { id, sizeBytes: 1024 * 1024 });
      const rwx = VOLUME_KINDS[i] === 'rwx';
      cluster.kube.addPersistentVolume(id, {
        accessModes: [rwx ? 'ReadWriteMany' : 'ReadWriteOnce'],
        volumeMode: rwx ? 'Block' : 'Filesystem',
      });
    }
    await cluster.startWatcher();
    await cluster.startReplica(0);
    if (this.schedule.twoReplicas) await cluster.startReplica(1);
    await Promise.all(cluster.runningReplicas().map((r) => r.whenReady()));
  }

  async run(): Promise<void> {
    for (const [step, op] of this.schedule.ops.entries()) {
      try {
        await this.apply(op);
        await this.checkStep();
      } catch (err) {
        if (err instanceof Violation) throw new Violation(`step ${step} ${describeOp(op)}: ${err.message}`);
        throw err;
      }
    }
    await this.checkQuiescence();
  }

  async tearDown(): Promise<void> {
    for (const id of this.volumeIds)
      await this.cluster.client.request(endpoints.volumeDelete, { id }).catch(() => undefined);
  }

  // ---------- operations ----------

  private async apply(op: Op): Promise<void> {
    const { cluster } = this;
    switch (op.op) {
      case 'create':
        if (!this.current.has(op.node)) this.create(op.node);
        return;
      case 'delete':
        this.delete(op.node);
        return;
      case 'recreate':
        this.delete(op.node, false);
        this.create(op.node);
        return;
      case 'not-ready':
        return this.notReady(op.node, op.pastGrace);
      case 'ready':
        return this.ready(op.node);
      case 'taint':
        return this.taint(op.node);
      case 'untaint':
        return this.untaint(op.node);
      case 'publish':
        return this.publish(op.volume, op.node);
      case 'unpublish':
        return this.unpublish(op.volume, op.node);
      case 'stop-watcher':
        return cluster.stopWatcher();
      case 'start-watcher':
        return cluster.startWatcher();
      case 'expire-watches':
        cluster.kube.expireWatches();
        return;
      case 'drop-watches':
        cluster.kube.dropWatches();
        return;
      case 'settle':
        return this.settle();
      case 'replay-event':
        return this.replay(op.pick);
      case 'stop-reconciler':
        return cluster.stopReplica(op.replica);
      case 'start-reconciler':
        if (op.replica === 0 || this.schedule.twoReplicas) await cluster.startReplica(op.replica);
        return;
      case 'store-loss':
        return this.loseStore();
    }
  }

  private create(name: NodeName): void {
    const node = this.cluster.kube.addNode(name);
    const uid = node.metadata.uid as string;
    const object: NodeObject = {
      name,
      uid,
      createdAt: Date.parse(node.metadata.creationTimestamp as string),
      ready: true,
      tainted: false,
      deleted: false,
      notReadySince: undefined,
      blemishes: [],
    };
    this.objects.set(uid, object);
    this.current.set(name, object);
  }

  /** keepOne: a plain delete leaves one node at least (an empty node list clears nothing, by design). */
  private delete(name: NodeName, keepOne = true): void {
    const object = this.current.get(name);
    if (!object || (keepOne && this.current.size === 1)) return;
    object.blemishes.push({ kind: 'deleted', start: Date.now() });
    object.deleted = true;
    this.cluster.kube.deleteNode(name);
    this.current.delete(name);
  }

  private notReady(name: NodeName, pastGrace: boolean): void {
    const object = this.current.get(name);
    if (!object || !object.ready) return;
    const start = Date.now();
    // Time driven explicitly: a NotReady period that began long ago is past the grace at once.
    const at = new Date(pastGrace ? start - 3 * GRACE_MS - 2 * RESOLUTION_MS : start);
    object.blemishes.push({ kind: pastGrace ? 'not-ready-past-grace' : 'not-ready', start });
    object.ready = false;
    object.notReadySince = Date.parse(kubeTime(at));
    this.cluster.kube.setReady(name, false, { at });
  }

  private ready(name: NodeName): void {
    const object = this.current.get(name);
    if (!object || object.ready) return;
    this.cluster.kube.setReady(name, true);
    object.ready = true;
    object.notReadySince = undefined;
    this.endBlemish(object, (k) => k === 'not-ready' || k === 'not-ready-past-grace');
  }

  private taint(name: NodeName): void {
    const object = this.current.get(name);
    if (!object || object.tainted) return;
    object.blemishes.push({ kind: 'out-of-service', start: Date.now() });
    object.tainted = true;
    this.cluster.kube.addTaint(name, {
      key: OUT_OF_SERVICE_TAINT_KEY,
      value: 'nodeshutdown',
      effect: 'NoExecute',
    });
  }

  private untaint(name: NodeName): void {
    const object = this.current.get(name);
    if (!object || !object.tainted) return;
    this.cluster.kube.removeTaint(name, OUT_OF_SERVICE_TAINT_KEY);
    object.tainted = false;
    this.endBlemish(object, (k) => k === 'out-of-service');
  }

  private endBlemish(object: NodeObject, matches: (kind: BlemishKind) => boolean): void {
    const end = Date.now();
    for (const b of object.blemishes) if (b.end === undefined && matches(b.kind)) b.end = end;
  }

  /** The uid the node-watcher reports for `name` now (undefined when absent or unavailable). */
  private async watcherUid(name: NodeName): Promise<string | undefined> {
    if (!this.cluster.watcher) return undefined;
    try {
      const { nodes } = await this.cluster.client.request(
        endpoints.nodesSnapshot,
        {},
        { deadline: Date.now() + 2_000 },
      );
      return nodes.find((n) => n.name === name)?.uid;
    } catch {
      return undefined;
    }
  }

  private async publish(volume: VolumeIndex, node: NodeName): Promise<void> {
    const volumeId = this.volumeIds[volume] as string;
    const rwx = VOLUME_KINDS[volume] === 'rwx';
    const access: AttachAccess = rwx ? 'multi-node' : 'single-node';
    const reported = await this.watcherUid(node);
    const requestedAt = Date.now();
    const before = this.current.get(node)?.uid;
    let record: Attachment;
    try {
      record = await this.cluster.client.request(
        endpoints.attachPublish,
        {
          volumeId,
          nodeId: node,
          hostNqn: hostNqnOf(node),
          access,
          volumeMode: rwx ? 'block' : 'filesystem',
        },
        { deadline: Date.now() + 8_000 },
      );
    } catch (err) {
      // A refusal, or an unknown outcome (UNAVAILABLE, deadline): a record may exist, but nothing was granted.
      this.refused(err);
      return;
    }
    this.stats.ok++;
    this.used.add(volume);
    const uid = record.nodes.find((n) => n.nodeId === node)?.nodeUid;
    const after = this.current.get(node)?.uid;
    if (
      reported !== undefined &&
      reported === before &&
      before === after &&
      uid !== undefined &&
      uid !== before
    )
      throw new Violation(
        `publish of volume ${volume} to ${node} answered OK with the attachment of node object ${uid ?? '(none)'},` +
          ` while the node is object ${before}, as the node-watcher had already reported`,
      );
    // A record adopted from a VolumeAttachment carries no uid: it is about the object the CO published to.
    const target = uid ?? before;
    if (target === undefined || target !== before || before !== after) return;
    this.refuseSecondWriter(volume, node, Date.now());
    if (!this.grants.some((g) => g.volume === volume && g.node === node))
      this.grants.push({ volume, node, uid: target, requestedAt });
    // What the attach/detach controller records, so a reconciler can adopt it after a store loss.
    const name = `csi-${volumeId}-${node}`;
    if (!this.volumeAttachments.has(name)) {
      this.cluster.kube.addVolumeAttachment(name, { nodeName: node, persistentVolumeName: volumeId });
      this.volumeAttachments.add(name);
    }
  }

  private async unpublish(volume: VolumeIndex, node: NodeName): Promise<void> {
    const volumeId = this.volumeIds[volume] as string;
    const mine = (g: Grant) => g.volume === volume && g.node === node;
    try {
      await this.cluster.client.request(
        endpoints.attachUnpublish,
        { volumeId, nodeId: node },
        { deadline: Date.now() + 8_000 },
      );
    } catch (err) {
      // Unknown outcome: the CO would retry; the model stops vouching for the attachment.
      this.refused(err);
      this.grants = this.grants.filter((g) => !mine(g));
      return;
    }
    this.stats.ok++;
    this.forget(this.grants.filter(mine));
  }

  /** Counts a refusal; a code that blames the caller or hides the cause is a violation of its own. */
  private refused(err: unknown): void {
    const { code, message } = toRdsCsiError(err);
    if (code === 'INTERNAL' || code === 'UNKNOWN' || code === 'INVALID_ARGUMENT')
      throw new Violation(`a well-formed request refused ${code}: ${message}`);
    this.stats.refused++;
  }

  private forget(gone: Grant[]): void {
    for (const g of gone) {
      const name = `csi-${this.volumeIds[g.volume]}-${g.node}`;
      if (this.volumeAttachments.delete(name)) this.cluster.kube.deleteVolumeAttachment(name);
    }
    this.grants = this.grants.filter((g) => !gone.includes(g));
  }

  /** Waits (bounded, without judging) until the node-watcher reports what the API has and no event is pending. */
  private async settle(): Promise<void> {
    if (!this.cluster.watcher) return;
    const want = [...this.current.values()]
      .map((o) => `${o.name}/${o.uid}/${o.ready}/${o.tainted}`)
      .sort()
      .join(',');
    await waitFor(
      async () => {
        const { nodes } = await this.cluster.client.request(endpoints.nodesSnapshot, {});
        return nodes.map((n) => `${n.name}/${n.uid}/${n.ready}/${n.outOfService}`).join(',') === want;
      },
      { timeoutMs: 5_000, message: 'node-watcher caught up' },
    ).catch(() => undefined);
  }

  private async replay(pick: number): Promise<void> {
    if (this.events.length === 0) return;
    const event = this.events[pick % this.events.length];
    if (!event) return;
    const h = natsHeaders();
    if (event.uid) h.set(NODE_UID_HEADER, event.uid);
    await jetstream(this.cluster.client.nc).publish(event.subject, event.data, { headers: h });
  }

  /** A publish answered OK while other nodes hold the volume live: RWO allows none, an RWX migration one. */
  private refuseSecondWriter(volume: VolumeIndex, node: NodeName, at: number): void {
    const holders = this.grants.filter(
      (g) => g.volume === volume && g.node !== node && !this.justification(g, at),
    );
    const allowed = VOLUME_KINDS[volume] === 'rwx' ? 1 : 0;
    if (holders.length > allowed)
      throw new Violation(
        `two writers granted: volume ${volume} published to ${node} while ${holders.map((g) => g.node).join(', ')}` +
          ' held it live',
      );
  }

  private async loseStore(): Promise<void> {
    this.storeLost = true;
    const jsm = await jetstreamManager(this.cluster.client.nc);
    await jsm.streams.delete(`KV_${this.cluster.client.names.attachmentsBucket}`).catch(() => undefined);
  }

  // ---------- invariants ----------

  /** Every record, read from the bucket itself (no reconciler needed); none when the bucket does not exist. */
  private async records(): Promise<Map<string, Attachment>> {
    const records = new Map<string, Attachment>();
    const bucket = this.cluster.client.names.attachmentsBucket;
    const jsm = await jetstreamManager(this.cluster.client.nc);
    if (!(await jsm.streams.info(`KV_${bucket}`).catch(() => undefined))) return records;
    const kv = await new Kvm(this.cluster.client.nc).open(bucket);
    for await (const key of await kv.keys()) {
      if (key === STORE_IDENTITY_KEY) continue;
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      const decoded = decodeMessage(Attachment, entry.value);
      if (!decoded.ok) throw new Violation(`record ${key} is corrupt: ${decoded.reason}`);
      records.set(key, decoded.value);
    }
    return records;
  }

  /** Hosts an export admits now; undefined = any host (never restricted). */
  private admitted(volume: VolumeIndex): string[] | undefined {
    const disk = this.cluster.world.sim.disks().find((d) => d.slot === this.volumeIds[volume]);
    return parseAllowList(disk?.nvmeTcpAllowHostName);
  }

  /** Why a grant's attachment may have been cleared (undefined: it may not). */
  private justification(grant: Grant, now: number): string | undefined {
    const object = this.objects.get(grant.uid);
    if (!object) return `unknown node object ${grant.uid}`;
    for (const b of object.blemishes) {
      if (b.end !== undefined && b.end < grant.requestedAt) continue;
      if (b.kind !== 'not-ready') return b.kind;
      if ((b.end ?? now) - b.start >= GRACE_MS) return 'not-ready past the grace';
    }
    return undefined;
  }

  private async checkStep(): Promise<void> {
    const records = await this.records();
    for (const [key, record] of records) {
      if (record.access === 'single-node' && record.nodes.length > 1)
        throw new Violation(
          `two RWO writers by the record of ${key}: ${record.nodes.map((n) => n.nodeId).join(', ')}`,
        );
    }
    this.checkGrants(records, Date.now());
    this.checkAllowLists(Date.now());
  }

  /** Every live grant is still recorded; grants whose node went stale and whose record is gone are forgotten. */
  private checkGrants(records: Map<string, Attachment>, now: number): void {
    const recorded = (g: Grant) =>
      records.get(this.volumeIds[g.volume] as string)?.nodes.some((n) => n.nodeId === g.node) ?? false;
    // After a store loss, live attachments may be missing until the reconcilers re-adopt them (bounded at quiescence).
    if (this.storeLost) {
      if (!this.grants.every((g) => recorded(g) || this.justification(g, now))) return;
      this.storeLost = false;
    }
    const gone: Grant[] = [];
    for (const grant of this.grants) {
      if (recorded(grant)) continue;
      const why = this.justification(grant, now);
      if (why === undefined)
        throw new Violation(
          `live attachment cleared: volume ${grant.volume} on ${grant.node} (object ${grant.uid}, published at` +
            ` ${new Date(grant.requestedAt).toISOString()}, Ready and untainted since) is no longer recorded`,
        );
      gone.push(grant);
    }
    this.stats.cleared += gone.length;
    this.forget(gone);
  }

  /** Used RWO exports admit one host at most, and every live grant's host. */
  private checkAllowLists(now: number): void {
    for (const volume of this.used) {
      const hosts = this.admitted(volume);
      if (hosts === undefined) throw new Violation(`the export of used volume ${volume} admits any host`);
      if (VOLUME_KINDS[volume] === 'rwo' && hosts.length > 1)
        throw new Violation(`two RWO writers by the RDS allow-list of volume ${volume}: ${hosts.join(', ')}`);
      for (const grant of this.grants.filter((g) => g.volume === volume && !this.justification(g, now)))
        if (!hosts.includes(hostNqnOf(grant.node)))
          throw new Violation(
            `live attachment revoked at the RDS: volume ${volume} no longer admits ${grant.node}`,
          );
    }
  }

  /** Why a recorded attachment is stale now (undefined: it is not; 'pending': its node's grace is running). */
  private staleness(node: AttachedNode, now: number): string | undefined {
    const object = this.current.get(node.nodeId as NodeName);
    const attachedAt = Date.parse(node.attachedAt);
    // Without a uid (adopted from a VolumeAttachment) a record is about the object that existed when it was made.
    const sameObject =
      node.nodeUid === undefined
        ? attachedAt >= (object?.createdAt ?? Infinity)
        : object?.uid === node.nodeUid;
    if (!object || !sameObject) return 'its node object is gone';
    if (object.tainted) return 'out-of-service';
    if (object.notReadySince === undefined) return undefined;
    const graceEnd = object.notReadySince + RESOLUTION_MS + GRACE_MS;
    if (now < graceEnd) return 'pending';
    return 'NotReady past the grace';
  }

  private async checkQuiescence(): Promise<void> {
    const { cluster } = this;
    await cluster.startWatcher();
    // As their Deployment would, stopped replicas come back (replicasStayDown: only one replica is ensured).
    if (!this.options.replicasStayDown || cluster.runningReplicas().length === 0)
      await cluster.startReplica(0);
    if (!this.options.replicasStayDown && this.schedule.twoReplicas) await cluster.startReplica(1);
    await Promise.all(
      cluster
        .runningReplicas()
        .map((r) =>
          waitFor(() => r.readiness().ready, { timeoutMs: READY_BOUND_MS, message: 'a reconciler serving' }),
        ),
    ).catch((err: Error) => {
      throw new Violation(`at quiescence: ${err.message}`);
    });
    let stale: string[] = [];
    let violation: Violation | undefined;
    const settled = async (): Promise<boolean> => {
      try {
        const now = Date.now();
        stale = [];
        for (const [key, record] of await this.records())
          for (const node of record.nodes) {
            const why = this.staleness(node, now);
            if (why) stale.push(`${key} on ${node.nodeId} (${why})`);
          }
        await this.checkStep();
        return stale.length === 0 && !this.storeLost;
      } catch (err) {
        if (!(err instanceof Violation)) throw err;
        violation = err;
        return true;
      }
    };
    // Attachments whose node's grace is still running are waited for: they must be cleared once it ends.
    await waitFor(settled, { timeoutMs: STALE_BOUND_MS + GRACE_MS + RESOLUTION_MS }).catch(() => {
      if (this.storeLost)
        throw new Violation(
          `after a store loss, live attachments not recorded again within ${STALE_BOUND_MS} ms`,
        );
      throw new Violation(`stale attachments not cleared within ${STALE_BOUND_MS} ms: ${stale.join('; ')}`);
    });
    if (violation) throw new Violation(`at quiescence: ${violation.message}`);
    const records = await this.records();
    const overAdmitted = () =>
      [...this.used].filter((volume) => {
        // A node recorded without its host NQN (adopted after a store loss) keeps its host's access.
        const hosts = new Set(
          records
            .get(this.volumeIds[volume] as string)
            ?.nodes.map((n) => n.hostNqn ?? hostNqnOf(n.nodeId as NodeName)),
        );
        return (this.admitted(volume) ?? ['any']).some((h) => !hosts.has(h));
      });
    await waitFor(() => overAdmitted().length === 0, { timeoutMs: STALE_BOUND_MS }).catch(() => {
      throw new Violation(`exports still admit a cleared host: volumes ${overAdmitted().join(', ')}`);
    });
  }
}

/** Runs schedules until one breaks an invariant or `runs` passed; the result names the seed to replay. */
export async function checkFenceModel(options: FenceModelOptions): Promise<FenceModelResult> {
  const world = await World.start();
  try {
    let ran = 0;
    const property = fc.asyncProperty(
      scheduleArbitrary({
        maxSteps: options.maxSteps ?? 24,
        includeStoreLoss: options.includeStoreLoss ?? true,
      }),
      async (schedule) => {
        ran++;
        const cluster = await Cluster.start(world, RECONCILER_CONFIG);
        const run = new ScheduleRun(cluster, schedule, options);
        const begin = Date.now();
        try {
          await run.setUp();
          await run.run();
        } finally {
          await run.tearDown();
          await cluster.dispose();
          const { ok, refused, cleared } = run.stats;
          options.onSchedule?.(
            `schedule ${ran}: ${schedule.ops.length} steps, ${schedule.twoReplicas ? 2 : 1} replica(s), ` +
              `${ok} answered OK, ${refused} refused, ${cleared} grants cleared as stale, ${Date.now() - begin} ms`,
          );
        }
      },
    );
    const details = await fc.check(property, {
      numRuns: options.runs,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      endOnFailure: true,
      examples: (options.examples ?? []).map((schedule): [Schedule] => [schedule]),
    });
    return {
      runs: ran,
      seed: details.seed,
      ...(details.failed
        ? {
            failure: {
              message:
                details.errorInstance instanceof Error
                  ? details.errorInstance.message
                  : String(details.errorInstance),
              schedule: details.counterexample?.[0],
              path: details.counterexamplePath ?? undefined,
            },
          }
        : {}),
    };
  } finally {
    await world.dispose();
  }
}
