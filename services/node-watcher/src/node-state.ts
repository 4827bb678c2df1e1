import { NodeId, isRecord, type NodeState } from '@rds-csi/contracts';

/**
 * What a Node object means to the driver, derived without I/O. Input is `unknown` on purpose: the informer hands over
 * objects typed by the list call (dates as Date) and raw watch JSON (dates as strings), and a broken or hostile API
 * server may send anything at all.
 */

/** The taint an operator sets on a node that is shut down for good, so its volumes may be attached elsewhere. */
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

/** A node as the node-watcher sees it: the contract state plus the identity of the object it came from. */
export interface ObservedNode {
  readonly state: NodeState;
  /** metadata.uid: a node deleted and re-created under the same name gets a new one. */
  readonly uid: string;
  readonly resourceVersion: string | undefined;
}

export type Derivation = { ok: true; node: ObservedNode } | { ok: false; reason: string };

type Fields = Record<string, unknown>;

const fieldsOf = (value: unknown): Fields => (isRecord(value) ? value : {});
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A Kubernetes timestamp (RFC 3339 string or Date) as a canonical ISO string; undefined when absent or invalid. */
export function isoTime(value: unknown): string | undefined {
  if (!(value instanceof Date) && typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Derives a node's state. Ready means a Ready condition with status "True"; anything else (False, Unknown, no
 * condition at all: a node whose kubelet never reported) is not ready. notReadySince is the Ready condition's
 * lastTransitionTime, else the node's creation time, else the moment it was observed. createdAt is the object's
 * creationTimestamp (the moment it was observed when absent); objects without a uid are refused.
 */
export function deriveNode(object: unknown, observedAt: Date): Derivation {
  const metadata = fieldsOf(fieldsOf(object).metadata);
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return { ok: false, reason: 'node has no metadata.name' };
  if (!NodeId.safeParse(name).success)
    return {
      ok: false,
      reason: `node name ${JSON.stringify(name).slice(0, 300)} is not a DNS-1123 subdomain`,
    };

  const conditions = arrayOf(fieldsOf(fieldsOf(object).status).conditions).map(fieldsOf);
  const readyCondition = conditions.find((c) => c.type === 'Ready');
  const ready = readyCondition?.status === 'True';
  const taints = arrayOf(fieldsOf(fieldsOf(object).spec).taints).map(fieldsOf);
  // Without its uid a node's events could not say which object they describe (a re-created node has another).
  const uid = stringOf(metadata.uid);
  if (uid === undefined) return { ok: false, reason: `node ${name} has no metadata.uid` };
  const state: NodeState = {
    name,
    uid,
    createdAt: isoTime(metadata.creationTimestamp) ?? observedAt.toISOString(),
    ready,
    outOfService: taints.some((t) => t.key === OUT_OF_SERVICE_TAINT),
    ...(ready
      ? {}
      : {
          notReadySince:
            isoTime(readyCondition?.lastTransitionTime) ??
            isoTime(metadata.creationTimestamp) ??
            observedAt.toISOString(),
        }),
  };
  return {
    ok: true,
    node: { state, uid, resourceVersion: stringOf(metadata.resourceVersion) },
  };
}

/** The part of a Node object the driver reads; the informer caches only this, not whole objects. */
export interface EssentialNode {
  metadata: Fields;
  spec: { taints: Fields[] };
  status: { conditions: Fields[] };
}

const pick = (from: Fields, keys: readonly string[]): Fields =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/**
 * What `deriveNode` and the informer's cache read of a Node: identity and times (name, uid, resourceVersion,
 * creation and deletion), taints, and the Ready condition. A real Node carries kilobytes more (images, labels,
 * annotations, managedFields, the other conditions) that nobody here reads. deriveNode gives the same answer for
 * both.
 */
export function essentialNode(object: unknown): EssentialNode {
  const fields = fieldsOf(object);
  const ready = arrayOf(fieldsOf(fields.status).conditions)
    .map(fieldsOf)
    .find((c) => c.type === 'Ready');
  return {
    metadata: pick(fieldsOf(fields.metadata), [
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
    ]),
    spec: { taints: arrayOf(fieldsOf(fields.spec).taints).map((t) => pick(fieldsOf(t), ['key', 'effect'])) },
    status: { conditions: ready ? [pick(ready, ['type', 'status', 'lastTransitionTime'])] : [] },
  };
}

/**
 * Keeps the start of an unbroken not-ready period. A condition going False -> Unknown (the kubelet reported trouble,
 * then died) moves lastTransitionTime forward, but the node has been unusable since the earlier time, and the
 * reconciler's grace period must count from there.
 */
export function continueObservation(previous: ObservedNode | undefined, next: ObservedNode): ObservedNode {
  const before = previous?.state.notReadySince;
  const after = next.state.notReadySince;
  if (!before || !after || previous.uid !== next.uid || before >= after) return next;
  return { ...next, state: { ...next.state, notReadySince: before } };
}
