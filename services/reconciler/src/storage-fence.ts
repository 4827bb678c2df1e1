/**
 * The storage fence: after every change of an attachment record, the RDS export of the volume admits exactly the
 * host NQNs of the record's nodes (rds.volume.fence), so a node whose attachment was cleared cannot reconnect or
 * keep writing even if it never learns about it (partitioned from the API server with ctrl-loss-tmo=-1).
 *
 * Publish answers OK only once the fence is applied. A revocation after an unpublish is part of that unpublish (the
 * CO retries it); after a stale clearance it is retried from here, with backoff and by every pass, until applied.
 */
import { backoffDelayMs, type Bus } from '@rds-csi/bus';
import {
  MAX_REVOKED_HOSTS,
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type AttachedNode,
} from '@rds-csi/contracts';
import { Counter, Gauge, metricOnce, type Registry } from '@rds-csi/observability';
import type { Logger } from 'pino';
import type { AttachmentStore, StoredRecord } from './store.js';

/** What a record change asks of the RDS. */
export type FencePlan =
  | {
      kind: 'apply';
      allowHostNqns: string[];
      keepOpen: boolean;
      keepAdmitted: boolean;
      revokeHostNqns: string[];
    }
  | { kind: 'skip'; why: string };

/**
 * The pure rule. After a publish the export admits exactly the record's hosts. A node without a known host NQN
 * (a Go-driver-era node ID, an unreadable /etc/nvme/hostnqn, a record adopted from a VolumeAttachment after a lost
 * store) cannot be admitted by name: while one is recorded, the export keeps the hosts it admits now (keepAdmitted:
 * the unnamed node's host, whichever it is, keeps its access), a publish adds the named hosts, and a removal takes
 * away the removed nodes' own hosts (`revoked`), never one a recorded node names. A removed node whose host is
 * unknown too cannot be revoked by name beside an unnamed one. Without unnamed nodes a removal narrows the export
 * to the remaining hosts, and one that still admits any host is left open (keepOpen: it was never restricted).
 */
/** A removed node's own host, owed revocation. */
export interface RevokedHost {
  nodeId: string;
  hostNqn: string;
}

export function planFence(
  nodes: readonly AttachedNode[],
  change: { kind: 'admit' } | { kind: 'revoke' },
  revoked: readonly RevokedHost[] = [],
): FencePlan {
  const unnamed = nodes.filter((n) => n.hostNqn === undefined).map((n) => n.nodeId);
  const allowHostNqns = [...new Set(nodes.flatMap((n) => n.hostNqn ?? []))].sort();
  if (unnamed.length === 0)
    return {
      kind: 'apply',
      allowHostNqns,
      keepOpen: change.kind === 'revoke',
      keepAdmitted: false,
      revokeHostNqns: [],
    };
  // Never the host of a node recorded now: named (a publish again) or not (the same node, published unnamed).
  const recorded = new Set(nodes.map((n) => n.nodeId));
  const revokeHostNqns = [
    ...new Set(
      revoked
        .filter((r) => !recorded.has(r.nodeId) && !allowHostNqns.includes(r.hostNqn))
        .map((r) => r.hostNqn),
    ),
  ].sort();
  if (revokeHostNqns.length === 0 && (change.kind === 'revoke' || allowHostNqns.length === 0)) {
    const removedHost = change.kind === 'revoke' ? ', nor of the removed node' : '';
    return { kind: 'skip', why: `no host NQN known for node ${unnamed.join(', ')}${removedHost}` };
  }
  return { kind: 'apply', allowHostNqns, keepOpen: true, keepAdmitted: true, revokeHostNqns };
}

export interface StorageFenceOptions {
  bus: Bus;
  store: AttachmentStore;
  logger: Logger;
  registry: Registry;
  /** false = RDSCSI_STORAGE_FENCE=off: nothing is sent (RouterOS without nvme-tcp-server-allow-host-name). */
  enabled: boolean;
  /** Bound of one fence request made outside a caller's deadline (clearances, retries). */
  requestTimeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
}

/** Revocations still to apply are bounded: beyond this many, passes keep the oldest and the gauge says so. */
const MAX_PENDING = 10_000;
/** Re-applications when the record changes under a fence; a record changing this often is retried later. */
const MAX_ROUNDS = 4;

export class StorageFence {
  /** Volumes whose revocation failed: attempts so far, and the removed nodes' hosts still to revoke by name. */
  private readonly pending = new Map<string, { attempts: number; hosts: RevokedHost[] }>();
  /** Background revocations after clearances. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The last fence of each volume in flight here (bounded by the volumes being fenced right now). */
  private readonly chains = new Map<string, Promise<unknown>>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying = false;
  private stopped = false;
  private readonly applied: Counter<'op' | 'outcome'>;
  private readonly pendingGauge: Gauge;

  constructor(private readonly options: StorageFenceOptions) {
    this.applied = metricOnce(
      options.registry,
      'rdscsi_reconciler_storage_fence_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_storage_fence_total',
          help: 'Storage fence updates by operation (admit, revoke) and outcome (changed, unchanged, skipped, error code)',
          labelNames: ['op', 'outcome'] as const,
          registers,
        }),
    );
    this.pendingGauge = metricOnce(
      options.registry,
      'rdscsi_reconciler_storage_fence_pending',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_storage_fence_pending',
          help: 'Volumes whose export still admits a host whose attachment was cleared (revocation being retried)',
          registers,
        }),
    );
  }

  /** After a publish was recorded (or found already recorded): throws when the fence could not be applied. */
  async admit(volumeId: string, deadline: number): Promise<void> {
    // Revocations still owed go along: a publish beside an unnamed node never keeps a cleared host admitted.
    await this.serialized(volumeId, () =>
      this.converge(volumeId, { kind: 'admit' }, this.pendingHosts(volumeId), deadline),
    );
  }

  /** After an unpublish: throws when the revocation could not be applied (the CO retries the unpublish). */
  async revoke(volumeId: string, removed: readonly AttachedNode[], deadline: number): Promise<void> {
    if (removed.length === 0 && !this.pending.has(volumeId)) return;
    try {
      await this.revokeNow(volumeId, removed, deadline);
    } catch (err) {
      this.remember(volumeId, removed);
      throw err;
    }
  }

  /**
   * After a stale clearance: runs in the background (a slow RDS never holds up the clearances of other volumes) and
   * never fails; a failure is retried until the export no longer admits the node.
   */
  revokeCleared(volumeId: string, removed: readonly AttachedNode[]): void {
    if (this.stopped) return;
    const task = this.revokeNow(volumeId, removed, Date.now() + this.options.requestTimeoutMs).catch(() =>
      this.remember(volumeId, removed),
    );
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  /** Resolves once the background revocations started so far have finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Every pass calls this: pending revocations are retried now, in the background, not at their next backoff. */
  retrySoon(): void {
    if (this.retrying) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.scheduleRetry(0);
  }

  /** Retries every pending revocation once. */
  private async retryPending(): Promise<void> {
    for (const volumeId of [...this.pending.keys()]) {
      if (this.stopped) return;
      try {
        await this.revokeNow(volumeId, [], Date.now() + this.options.requestTimeoutMs);
      } catch {
        this.remember(volumeId, []);
      }
    }
  }

  /** No new retries; waits for the revocations in flight (each bounded by its request deadline). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.settled();
  }

  /**
   * Revokes the removed nodes' hosts and those of earlier revocations still owed. Pending hosts are read and settled
   * inside the volume's serialized turn, so a revocation remembered meanwhile is not forgotten.
   */
  private async revokeNow(
    volumeId: string,
    removed: readonly AttachedNode[],
    deadline: number,
  ): Promise<void> {
    await this.serialized(volumeId, async () => {
      const revoked = newestHosts([...this.pendingHosts(volumeId), ...hostsOf(removed)]);
      try {
        await this.converge(volumeId, { kind: 'revoke' }, revoked, deadline);
      } catch (err) {
        // A volume deleted from the RDS admits nobody any more.
        if (!(err instanceof RdsCsiError && err.code === 'NOT_FOUND')) throw err;
      }
      this.settle(volumeId, revoked);
    });
  }

  private pendingHosts(volumeId: string): RevokedHost[] {
    return this.pending.get(volumeId)?.hosts ?? [];
  }

  /** A revocation applied: its hosts are no longer owed (others remembered meanwhile stay pending). */
  private settle(volumeId: string, revoked: readonly RevokedHost[]): void {
    const entry = this.pending.get(volumeId);
    if (!entry) return;
    entry.hosts = entry.hosts.filter((host) => !revoked.some((r) => r.hostNqn === host.hostNqn));
    if (entry.hosts.length === 0) this.pending.delete(volumeId);
    this.pendingGauge.set(this.pending.size);
  }

  /**
   * Applies the fence of the record as it is now, then reads the record again: when it changed meanwhile (another
   * request or replica), the fence is applied again from the newer record, so the last list sent is never older
   * than the record (bounded: a record that keeps changing is UNAVAILABLE, and retried).
   */
  private async converge(
    volumeId: string,
    first: Parameters<typeof planFence>[1],
    revoked: readonly RevokedHost[],
    deadline: number,
  ): Promise<void> {
    let record = await this.readRecord(volumeId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const nodes = record.kind === 'valid' ? record.attachment.nodes : [];
      const change =
        round === 0 && !(first.kind === 'admit' && nodes.length === 0)
          ? first
          : nodes.length > 0
            ? ({ kind: 'admit' } as const)
            : ({ kind: 'revoke' } as const);
      // Every round plans from the record it read: a host a concurrent publish recorded again is never revoked.
      await this.apply(volumeId, planFence(nodes, change, revoked), change.kind, deadline);
      const after = await this.readRecord(volumeId);
      if (after.revision === record.revision) return;
      record = after;
    }
    throw new RdsCsiError(
      'UNAVAILABLE',
      `attachment record of ${volumeId} kept changing while it was fenced`,
    );
  }

  private async readRecord(volumeId: string): Promise<StoredRecord> {
    const record = await this.options.store.readServed(volumeId);
    if (record.kind === 'corrupt')
      throw new RdsCsiError('FAILED_PRECONDITION', `attachment record of ${volumeId} is corrupt`);
    return record;
  }

  /** One fence at a time per volume in this process, so requests reach the RDS in the order of their reads. */
  private async serialized<T>(volumeId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(volumeId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.chains.set(volumeId, tail);
    try {
      return await run;
    } finally {
      if (this.chains.get(volumeId) === tail) this.chains.delete(volumeId);
    }
  }

  private async apply(
    volumeId: string,
    plan: FencePlan,
    op: 'admit' | 'revoke',
    deadline: number,
  ): Promise<void> {
    const { logger } = this.options;
    if (!this.options.enabled) return;
    if (plan.kind === 'skip') {
      this.applied.inc({ op, outcome: 'skipped' });
      logger.warn({ volumeId, op, why: plan.why }, 'storage fence left unchanged');
      return;
    }
    try {
      const result = await this.options.bus.request(
        endpoints.volumeFence,
        {
          id: volumeId,
          allowHostNqns: plan.allowHostNqns,
          keepOpen: plan.keepOpen,
          keepAdmitted: plan.keepAdmitted,
          revokeHostNqns: plan.revokeHostNqns,
        },
        { deadline },
      );
      this.applied.inc({ op, outcome: result.changed ? 'changed' : 'unchanged' });
      if (result.changed)
        logger.info(
          { volumeId, op, hosts: result.allowHostNqns, reexported: result.reexported },
          'storage fence applied',
        );
    } catch (err) {
      const failure = toRdsCsiError(err);
      this.applied.inc({ op, outcome: failure.code });
      logger.warn({ volumeId, op, code: failure.code, error: failure.message }, 'storage fence not applied');
      throw new RdsCsiError(
        failure.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'UNAVAILABLE',
        `storage fence of ${volumeId} not applied: ${failure.message}`,
        { cause: err },
      );
    }
  }

  private remember(volumeId: string, removed: readonly AttachedNode[]): void {
    if (this.stopped) return;
    const entry = this.pending.get(volumeId);
    if (entry || this.pending.size < MAX_PENDING)
      this.pending.set(volumeId, {
        attempts: (entry?.attempts ?? 0) + 1,
        hosts: newestHosts([...(entry?.hosts ?? []), ...hostsOf(removed)]),
      });
    this.pendingGauge.set(this.pending.size);
    this.scheduleRetry();
  }

  private scheduleRetry(delayMs?: number): void {
    if (this.retryTimer || this.retrying || this.stopped || this.pending.size === 0) return;
    const attempts = Math.max(...[...this.pending.values()].map((entry) => entry.attempts));
    const delay =
      delayMs ?? backoffDelayMs(attempts, { minMs: this.options.retryMinMs, maxMs: this.options.retryMaxMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retrying = true;
      void this.retryPending().finally(() => {
        this.retrying = false;
        this.scheduleRetry();
      });
    }, delay);
    this.retryTimer.unref();
  }
}

function hostsOf(nodes: readonly AttachedNode[]): RevokedHost[] {
  return nodes.flatMap((n) => (n.hostNqn === undefined ? [] : [{ nodeId: n.nodeId, hostNqn: n.hostNqn }]));
}

/**
 * Hosts owed revocation, bounded like the request: the newest (last) win. Only a record with a node without a host
 * NQN needs them; beyond the bound the oldest stay admitted until every recorded node is named (the list is exact).
 */
function newestHosts(hosts: readonly RevokedHost[]): RevokedHost[] {
  const newest = new Map<string, RevokedHost>();
  for (const host of hosts) {
    newest.delete(host.hostNqn);
    newest.set(host.hostNqn, host);
  }
  return [...newest.values()].slice(-MAX_REVOKED_HOSTS);
}
