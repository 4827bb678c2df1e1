import type { NodeEvent, NodeEventKind, NodeState } from '@rds-csi/contracts';
import { continueObservation, deriveNode, type ObservedNode } from './node-state.js';

/**
 * Which node events to publish, decided without I/O. The node-watcher keeps two views of every node: what the
 * Kubernetes API says now (observed) and what the event stream already says (announced). An event is published only
 * where they differ, so re-lists, heartbeats, restarts of the watcher and repeated watch events publish nothing.
 */

/** What the stream has said about a node (readiness unknown when its readiness events aged out). */
export interface Announced {
  readonly uid: string | undefined;
  readonly ready: boolean | undefined;
  readonly notReadySince: string | undefined;
  readonly outOfService: boolean;
}

/** An event to publish, with the JetStream message ID that makes retries and duplicate publishers harmless. */
export interface Transition {
  readonly event: NodeEvent;
  readonly msgId: string;
  /** The node object's uid, stored with the message so a restarted watcher recognises re-created nodes. */
  readonly uid: string | undefined;
}

/**
 * The events that bring the announced view of one node up to date with the observed one, and the announced view
 * after them. A node re-created under the same name (new uid) is announced deleted first. A not-ready node whose
 * not-ready period started at another time than announced is announced again: it was ready in between, unseen (while
 * the watcher was down), and the reconciler's grace period must count from the new start. Out-of-service is
 * announced when the taint appears; its removal has no event kind, it only resets the view so that a later taint is
 * announced again.
 */
export function diffNode(
  name: string,
  announced: Announced | undefined,
  observed: ObservedNode | undefined,
  now: Date,
): { transitions: Transition[]; announced: Announced | undefined } {
  const at = now.toISOString();
  const transitions: Transition[] = [];
  let previous = announced;
  if (previous && (!observed || (previous.uid && previous.uid !== observed.uid))) {
    const msgId = previous.uid ? `${previous.uid}:deleted` : `${name}:deleted:${at}`;
    const event: NodeEvent = {
      v: 1,
      kind: 'deleted',
      node: name,
      at,
      ...(previous.uid ? { uid: previous.uid } : {}),
    };
    transitions.push({ event, msgId, uid: previous.uid });
    previous = undefined;
  }
  if (!observed) return { transitions, announced: undefined };

  const { state, uid } = observed;
  // The resourceVersion names the object revision that carried the transition: unique per transition, and the same
  // for every watcher that saw it, so JetStream drops a retried or doubly published event.
  const announce = (kind: NodeEventKind, extra: Partial<NodeEvent> = {}) =>
    transitions.push({
      event: { v: 1, kind, node: name, uid, at, ...extra },
      msgId: `${uid}:${kind}:${observed.resourceVersion ?? at}`,
      uid,
    });

  if (state.ready && previous?.ready !== true) announce('ready');
  if (!state.ready && (previous?.ready !== false || previous.notReadySince !== state.notReadySince)) {
    announce('not-ready', { notReadySince: state.notReadySince });
  }
  if (state.outOfService && !previous?.outOfService) announce('out-of-service');
  return {
    transitions,
    announced: {
      uid,
      ready: state.ready,
      notReadySince: state.notReadySince,
      outOfService: state.outOfService,
    },
  };
}

/** An event read back from the stream, in stream order, with the node uid stored alongside it. */
export interface StoredNodeEvent {
  readonly event: NodeEvent;
  readonly uid: string | undefined;
}

/** Folds stored events (oldest first) into the announced view of every node. */
export function announcedFromStream(stored: Iterable<StoredNodeEvent>): Map<string, Announced> {
  const view = new Map<string, Announced>();
  for (const { event, uid } of stored) {
    const known = view.get(event.node);
    const current: Announced =
      known && (!uid || !known.uid || known.uid === uid)
        ? known
        : { uid, ready: undefined, notReadySince: undefined, outOfService: false };
    const withUid = { ...current, uid: uid ?? current.uid };
    switch (event.kind) {
      case 'deleted':
        view.delete(event.node);
        break;
      case 'ready':
        view.set(event.node, { ...withUid, ready: true, notReadySince: undefined });
        break;
      case 'not-ready':
        view.set(event.node, { ...withUid, ready: false, notReadySince: event.notReadySince });
        break;
      case 'out-of-service':
        view.set(event.node, { ...withUid, outOfService: true });
        break;
    }
  }
  return view;
}

export type Observation = { ok: true; transitions: Transition[] } | { ok: false; reason: string };

/**
 * Both views of every node and the rules between them. Nothing is published until the cache has synced (a partial
 * view would announce deletions that never happened) and the announced view has been read from the stream (or every
 * restart would announce every node again); at that moment the whole difference is published at once.
 */
export class NodeTracker {
  private readonly observed = new Map<string, ObservedNode>();
  private announced: Map<string, Announced> | undefined;
  private synced = false;

  get isSynced(): boolean {
    return this.synced;
  }

  /** An added or updated Node object. */
  upsert(object: unknown, now: Date): Observation {
    const derived = deriveNode(object, now);
    if (!derived.ok) return derived;
    const name = derived.node.state.name;
    this.observed.set(name, continueObservation(this.observed.get(name), derived.node));
    return { ok: true, transitions: this.diff(name, now) };
  }

  /** A deleted Node object. */
  remove(object: unknown, now: Date): Observation {
    const derived = deriveNode(object, now);
    if (!derived.ok) return derived;
    const name = derived.node.state.name;
    const known = this.observed.get(name);
    // A delete for an older incarnation (uid differs) says nothing about the node now under this name.
    if (known && known.uid !== derived.node.uid) return { ok: true, transitions: [] };
    this.observed.delete(name);
    return { ok: true, transitions: this.diff(name, now) };
  }

  /** The informer's cache holds a complete list. */
  markSynced(now: Date): Transition[] {
    if (this.synced) return [];
    this.synced = true;
    return this.diffAll(now);
  }

  /** The announced view, read from the stream. */
  setAnnounced(view: Map<string, Announced>, now: Date): Transition[] {
    this.announced = new Map(view);
    return this.diffAll(now);
  }

  /** One observed node by name. */
  get(name: string): NodeState | undefined {
    return this.observed.get(name)?.state;
  }

  /** The observed nodes, sorted by name. */
  snapshot(): NodeState[] {
    return [...this.observed.values()]
      .map((o) => o.state)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private diffAll(now: Date): Transition[] {
    if (!this.synced || !this.announced) return [];
    const names = new Set([...this.announced.keys(), ...this.observed.keys()]);
    return [...names].sort().flatMap((name) => this.diff(name, now));
  }

  private diff(name: string, now: Date): Transition[] {
    if (!this.synced || !this.announced) return [];
    const result = diffNode(name, this.announced.get(name), this.observed.get(name), now);
    if (result.announced) this.announced.set(name, result.announced);
    else this.announced.delete(name);
    return result.transitions;
  }
}
