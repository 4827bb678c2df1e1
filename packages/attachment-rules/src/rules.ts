/**
 * The attachment rules: who may publish a volume where, what unpublish removes, and which recorded attachments are
 * stale given the node list. Pure functions of their arguments (no I/O, no clock): the store applies the changes
 * they decide with compare-and-set, so a decision is always made on the record it will replace.
 */
import type { z } from 'zod';
import {
  RdsCsiError,
  type AttachedNode,
  type Attachment,
  type ClearReason,
  type ClearedAttachment,
  type NodeState,
  type PublishRequest,
} from '@rds-csi/contracts';

/** A publish request, with the uid of the Node object it targets (from the node-watcher's snapshot at publish). */
export type PublishIntent = z.output<typeof PublishRequest> & { nodeUid?: string };

/** What to do with a volume's record: leave it, replace it, or delete it (no node holds the volume any more). */
export type Change = { kind: 'keep' } | { kind: 'put'; value: Attachment } | { kind: 'delete' };

/** A live-migration pair may stay attached to both nodes this long unless the volume context says otherwise. */
export const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 300;

/** Live migration needs a source and a target, never more. */
const MAX_MIGRATION_NODES = 2;

export interface PublishDecision {
  change: Change;
  /** The record after the decision (the existing one when nothing changed). */
  attachment: Attachment;
}

/** A record with no nodes carries no fencing; it is treated like no record at all. */
function holders(current: Attachment | undefined): AttachedNode[] {
  return current?.nodes ?? [];
}

function describeNodes(nodes: AttachedNode[]): string {
  return nodes.map((n) => n.nodeId).join(', ');
}

/** An idempotent re-publish that reports a host NQN the record lacks (adopted, Go-driver era) or a new one records it. */
function withHostNqn(
  current: Attachment,
  existing: AttachedNode,
  hostNqn: string | undefined,
): PublishDecision {
  if (hostNqn === undefined || existing.hostNqn === hostNqn)
    return { change: { kind: 'keep' }, attachment: current };
  const nodes = current.nodes.map((n) => (n === existing ? { ...n, hostNqn } : n));
  const attachment = { ...current, nodes };
  return { change: { kind: 'put', value: attachment }, attachment };
}

/** Whether a recorded attachment is to another Node object than `nodeUid` (unknown uids match anything). */
function isOtherObject(attached: AttachedNode, nodeUid: string | undefined): boolean {
  return attached.nodeUid !== undefined && nodeUid !== undefined && attached.nodeUid !== nodeUid;
}

function migrationDeadline(now: Date, timeoutSeconds: number): string {
  return new Date(now.getTime() + timeoutSeconds * 1000).toISOString();
}

/**
 * Decides a publish of `intent.volumeId` to `intent.nodeId` against the current record. Throws the RdsCsiError the
 * CSI spec prescribes: INVALID_ARGUMENT for a filesystem volume asked for on several nodes, ALREADY_EXISTS for an
 * incompatible re-publish on the same node, FAILED_PRECONDITION when another node holds the volume (single-node,
 * or already two nodes in a migration).
 */
export function decidePublish(
  current: Attachment | undefined,
  intent: PublishIntent,
  now: Date,
  defaultMigrationTimeoutSeconds = DEFAULT_MIGRATION_TIMEOUT_SECONDS,
): PublishDecision {
  const { volumeId, nodeId, access, volumeMode, readonly } = intent;
  if (access === 'multi-node' && volumeMode !== 'block') {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      `volume ${volumeId}: multi-node access is only allowed for block volumes (live migration), not ${volumeMode}`,
    );
  }
  const attached: AttachedNode = {
    nodeId,
    readonly,
    attachedAt: now.toISOString(),
    ...(intent.nodeUid ? { nodeUid: intent.nodeUid } : {}),
    ...(intent.hostNqn !== undefined ? { hostNqn: intent.hostNqn } : {}),
  };
  const nodes = holders(current);
  if (!current || nodes.length === 0) {
    const attachment: Attachment = { volumeId, access, volumeMode, nodes: [attached] };
    if (access === 'multi-node')
      attachment.migrationTimeoutSeconds = intent.migrationTimeoutSeconds ?? defaultMigrationTimeoutSeconds;
    return { change: { kind: 'put', value: attachment }, attachment };
  }

  const sameKind = current.access === access && current.volumeMode === volumeMode;
  const existing = nodes.find((n) => n.nodeId === nodeId);
  if (existing && sameKind && isOtherObject(existing, intent.nodeUid)) {
    // The name now belongs to another Node object: the old object's attachment is replaced, never answered as this
    // one's (evidence about the old object would clear it while the CO believes the new one holds the volume).
    const attachment: Attachment = { ...current, nodes: nodes.map((n) => (n === existing ? attached : n)) };
    return { change: { kind: 'put', value: attachment }, attachment };
  }
  if (existing) {
    if (sameKind && existing.readonly === readonly) return withHostNqn(current, existing, intent.hostNqn);
    throw new RdsCsiError(
      'ALREADY_EXISTS',
      `volume ${volumeId} is already published to node ${nodeId} as ${current.access}/${current.volumeMode}` +
        ` readonly=${existing.readonly}, incompatible with ${access}/${volumeMode} readonly=${readonly}`,
    );
  }
  if (current.access !== 'multi-node' || !sameKind) {
    throw new RdsCsiError(
      'FAILED_PRECONDITION',
      `volume ${volumeId} is published to node ${describeNodes(nodes)} (${current.access}/${current.volumeMode});` +
        ` it cannot be published to node ${nodeId} until it is unpublished there or that attachment is cleared as stale`,
    );
  }
  if (nodes.length >= MAX_MIGRATION_NODES) {
    throw new RdsCsiError(
      'FAILED_PRECONDITION',
      `volume ${volumeId} is already published to ${MAX_MIGRATION_NODES} nodes (${describeNodes(nodes)}),` +
        ` the most a live migration uses; refusing node ${nodeId}`,
    );
  }
  const timeoutSeconds =
    intent.migrationTimeoutSeconds ?? current.migrationTimeoutSeconds ?? defaultMigrationTimeoutSeconds;
  const attachment: Attachment = {
    ...current,
    nodes: [...nodes, attached],
    migrationTimeoutSeconds: timeoutSeconds,
    migrationDeadline: migrationDeadline(now, timeoutSeconds),
  };
  return { change: { kind: 'put', value: attachment }, attachment };
}

export interface RemovalDecision {
  change: Change;
  /** The nodes taken off the record (empty when nothing matched: an idempotent success). */
  removed: AttachedNode[];
}

/**
 * Removes the nodes `matches` selects. The last node's removal deletes the record; going back to one node ends the
 * migration window. Removing from a missing record, or a node that is not there, changes nothing.
 */
export function decideRemoval(
  current: Attachment | undefined,
  matches: (node: AttachedNode) => boolean,
): RemovalDecision {
  const nodes = holders(current);
  const removed = nodes.filter(matches);
  if (!current || removed.length === 0) return { change: { kind: 'keep' }, removed };
  const remaining = nodes.filter((n) => !matches(n));
  if (remaining.length === 0) return { change: { kind: 'delete' }, removed };
  const value: Attachment = { ...current, nodes: remaining };
  if (remaining.length < MAX_MIGRATION_NODES) delete value.migrationDeadline;
  return { change: { kind: 'put', value }, removed };
}

/** CSI ControllerUnpublish: one node, or every node when the CO names none. */
export function decideUnpublish(
  current: Attachment | undefined,
  nodeId: string | undefined,
): RemovalDecision {
  return decideRemoval(current, (n) => nodeId === undefined || n.nodeId === nodeId);
}

/**
 * Clearing a stale attachment removes the node only if it was attached no later than `notAfter` (when the evidence
 * was gathered): a node event replayed after a restart, or a node list fetched before a fresh publish, must never
 * clear an attachment made after it. With `nodeUid` (the Node object the evidence is about) an attachment recorded
 * to another object of the same name is never removed.
 */
export function decideStaleRemoval(
  current: Attachment | undefined,
  nodeId: string,
  notAfter: Date,
  nodeUid?: string,
): RemovalDecision {
  return decideRemoval(
    current,
    (n) =>
      n.nodeId === nodeId &&
      Date.parse(n.attachedAt) <= notAfter.getTime() &&
      (nodeUid === undefined || n.nodeUid === undefined || n.nodeUid === nodeUid),
  );
}

/**
 * lastTransitionTime has whole-second resolution (truncated): the node may have turned NotReady up to a second
 * later than it says, so the grace is counted from the end of that second.
 */
export const TRANSITION_TIME_RESOLUTION_MS = 1_000;

/**
 * An attached node's object is gone when the node list holds another object under its name: a different uid, or
 * (for records made before uids were recorded) one created after the attachment.
 */
function replacedObject(attached: AttachedNode, node: NodeState): string | undefined {
  if (attached.nodeUid !== undefined && attached.nodeUid !== node.uid)
    return `node object ${attached.nodeUid} is gone (the node now is object ${node.uid})`;
  if (attached.nodeUid === undefined && Date.parse(attached.attachedAt) < Date.parse(node.createdAt))
    return `attached ${attached.attachedAt}, before the node object was created (${node.createdAt})`;
  return undefined;
}

/** How one attached node looks in the node list. */
export type NodeVerdict =
  | { kind: 'healthy' }
  | { kind: 'stale'; reason: ClearReason; why: string }
  /** NotReady but still inside the grace period: look again at `recheckAt`. */
  | { kind: 'within-grace'; recheckAt: Date; why: string }
  | { kind: 'unknown'; why: string };

export function judgeNode(node: NodeState | undefined, now: Date, graceMs: number): NodeVerdict {
  if (!node) return { kind: 'stale', reason: 'node-missing', why: 'node does not exist' };
  if (node.outOfService) {
    return {
      kind: 'stale',
      reason: 'node-out-of-service',
      why: 'node is tainted node.kubernetes.io/out-of-service',
    };
  }
  if (node.ready) return { kind: 'healthy' };
  if (!node.notReadySince)
    return { kind: 'unknown', why: 'node is NotReady since an unknown time: not cleared' };
  const since = Date.parse(node.notReadySince) + TRANSITION_TIME_RESOLUTION_MS;
  const recheckAt = new Date(since + graceMs);
  const notReadyMs = now.getTime() - since;
  if (notReadyMs >= graceMs) {
    return {
      kind: 'stale',
      reason: 'node-not-ready',
      why: `node NotReady since ${node.notReadySince}, longer than the ${graceMs} ms grace`,
    };
  }
  return {
    kind: 'within-grace',
    recheckAt,
    why: `node NotReady since ${node.notReadySince}, within the ${graceMs} ms grace`,
  };
}

export interface SkippedAttachment {
  volumeId: string;
  nodeId: string;
  why: string;
}

export interface PassPlan {
  /** With the uid of the node object each clearance is about (when the record has one). */
  clear: (ClearedAttachment & { why: string; nodeUid?: string })[];
  skipped: SkippedAttachment[];
  /** NotReady nodes holding attachments, and when their grace ends. */
  recheck: { nodeId: string; at: Date }[];
  /** Volumes attached to two nodes past their migration deadline (reported, never cleared: see docs/reconciler.md). */
  overdueMigrations: string[];
}

/**
 * Plans a reconciliation pass: every attached node is judged against the node list. An empty list clears nothing
 * (a cluster with no nodes at all is far less likely than a node source that lost its cache).
 */
export function planPass(
  attachments: Attachment[],
  nodes: NodeState[],
  now: Date,
  graceMs: number,
): PassPlan {
  const plan: PassPlan = { clear: [], skipped: [], recheck: [], overdueMigrations: [] };
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const recheck = new Map<string, Date>();
  for (const attachment of attachments) {
    const { volumeId } = attachment;
    const cleared = new Set<string>();
    for (const attached of attachment.nodes) {
      const { nodeId } = attached;
      if (byName.size === 0) {
        plan.skipped.push({
          volumeId,
          nodeId,
          why: 'node list is empty: nothing is cleared from an empty node list',
        });
        continue;
      }
      const node = byName.get(nodeId);
      const replaced = node && replacedObject(attached, node);
      const verdict: NodeVerdict = replaced
        ? { kind: 'stale', reason: 'node-missing', why: replaced }
        : judgeNode(node, now, graceMs);
      if (verdict.kind === 'stale') {
        const uid = attached.nodeUid ? { nodeUid: attached.nodeUid } : {};
        plan.clear.push({ volumeId, nodeId, reason: verdict.reason, why: verdict.why, ...uid });
        cleared.add(nodeId);
      } else if (verdict.kind !== 'healthy') {
        plan.skipped.push({ volumeId, nodeId, why: verdict.why });
      }
      if (verdict.kind === 'within-grace') recheck.set(nodeId, verdict.recheckAt);
    }
    // A dead node in the pair ends the migration by itself; only a pair of live nodes is worth reporting.
    if (isMigrationOverdue(attachment, now) && cleared.size === 0) {
      plan.overdueMigrations.push(volumeId);
      for (const { nodeId } of attachment.nodes) {
        plan.skipped.push({
          volumeId,
          nodeId,
          why: `live migration overdue since ${attachment.migrationDeadline}: reported, not cleared automatically`,
        });
      }
    }
  }
  plan.recheck = [...recheck].map(([nodeId, at]) => ({ nodeId, at }));
  return plan;
}

function isMigrationOverdue(attachment: Attachment, now: Date): boolean {
  return (
    attachment.nodes.length >= MAX_MIGRATION_NODES &&
    attachment.migrationDeadline !== undefined &&
    Date.parse(attachment.migrationDeadline) < now.getTime()
  );
}
