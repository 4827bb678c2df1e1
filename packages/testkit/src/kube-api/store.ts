import { randomUUID } from 'node:crypto';
import { isRecord } from '@rds-csi/contracts';
import { failureStatus, kubeTime, type KubeObject, type KubeStatus, type ObjectIdentity } from './objects.js';

/** A resource type the fake API server serves: where it lives in the URL space and how its objects are named. */
export interface ResourceType {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  readonly apiPath: string;
  readonly plural: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { apiPath: '/api/v1', plural: 'nodes', kind: 'Node', apiVersion: 'v1', namespaced: false },
  {
    apiPath: '/api/v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    apiVersion: 'v1',
    namespaced: false,
  },
  {
    apiPath: '/api/v1',
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    namespaced: true,
  },
  { apiPath: '/api/v1', plural: 'events', kind: 'Event', apiVersion: 'v1', namespaced: true },
  {
    apiPath: '/apis/storage.k8s.io/v1',
    plural: 'volumeattachments',
    kind: 'VolumeAttachment',
    apiVersion: 'storage.k8s.io/v1',
    namespaced: false,
  },
  {
    apiPath: '/apis/snapshot.storage.k8s.io/v1',
    plural: 'volumesnapshotcontents',
    kind: 'VolumeSnapshotContent',
    apiVersion: 'snapshot.storage.k8s.io/v1',
    namespaced: false,
  },
  {
    apiPath: '/apis/events.k8s.io/v1',
    plural: 'events',
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    namespaced: true,
  },
];

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  readonly resourceVersion: number;
  readonly type: ResourceType;
  readonly eventType: WatchEventType;
  readonly object: KubeObject;
}

/** An API failure carrying the Status object the server answers with. */
export class KubeApiError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

const fieldsOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/**
 * The fake API server's etcd: objects per resource type, one global resourceVersion counter that every write
 * bumps, and a bounded history of changes from which watches resume. A watch from a resourceVersion older than the
 * history is refused as expired, exactly the case that makes a real client re-list.
 */
export class ObjectStore {
  private revision = 100;
  private readonly objects = new Map<ResourceType, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  /** Events at or below this revision are forgotten. */
  private compactedRevision = 0;
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  constructor(private readonly historyLimit: number) {
    for (const type of RESOURCE_TYPES) this.objects.set(type, new Map());
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(type).get(keyOf(namespace, name));
    return found && structuredClone(found);
  }

  /** Objects of a type, optionally of one namespace, sorted by namespace and name like the API server. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    return [...this.bucket(type).entries()]
      .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => structuredClone(o));
  }

  /** Creates an object with a new identity, or with `identity` for one restored from an earlier run. */
  create(type: ResourceType, input: KubeObject, namespace?: string, identity?: ObjectIdentity): KubeObject {
    const object = structuredClone(input);
    const meta = object.metadata;
    if (type.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw new KubeApiError(
          failureStatus(
            400,
            'BadRequest',
            'the namespace of the provided object does not match the namespace sent on the request',
          ),
        );
      }
      meta.namespace = namespace;
    }
    if (!meta.name) {
      if (!meta.generateName) {
        throw new KubeApiError(
          failureStatus(
            422,
            'Invalid',
            `${type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
            {
              kind: type.plural,
            },
          ),
        );
      }
      meta.name = meta.generateName + randomUUID().slice(0, 5);
    }
    if (this.bucket(type).has(keyOf(meta.namespace, meta.name))) {
      throw new KubeApiError(
        failureStatus(409, 'AlreadyExists', `${type.plural} "${meta.name}" already exists`, {
          name: meta.name,
          kind: type.plural,
        }),
      );
    }
    object.apiVersion = type.apiVersion;
    object.kind = type.kind;
    meta.uid = identity?.uid ?? randomUUID();
    meta.creationTimestamp = identity?.creationTimestamp ?? kubeTime();
    return this.write(type, 'ADDED', object);
  }

  /** Applies `mutate` to a copy of the object and stores it as a new revision. */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (object: KubeObject) => void,
  ): KubeObject {
    const current = this.get(type, namespace, name);
    if (!current) throw notFound(type, name);
    const { uid, creationTimestamp } = current.metadata;
    mutate(current);
    // Like the API server, keep the identity fields whatever the update says.
    current.metadata = { ...fieldsOf(current.metadata), name, namespace, uid, creationTimestamp };
    return this.write(type, 'MODIFIED', current);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const current = this.get(type, namespace, name);
    if (!current) throw notFound(type, name);
    return this.write(type, 'DELETED', current);
  }

  /**
   * The changes to a type after `resourceVersion`, or undefined when some of them were already forgotten (the
   * watch must be refused with 410 Gone).
   */
  changesSince(type: ResourceType, resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.compactedRevision) return undefined;
    return this.history.filter((e) => e.type === type && e.resourceVersion > resourceVersion);
  }

  /** Forgets all history, as etcd compaction does: every watch from an earlier revision now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const bucket = this.objects.get(type);
    if (!bucket) throw new Error(`unknown resource type ${type.plural}`);
    return bucket;
  }

  private write(type: ResourceType, eventType: WatchEventType, object: KubeObject): KubeObject {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    const key = keyOf(object.metadata.namespace, object.metadata.name ?? '');
    if (eventType === 'DELETED') this.bucket(type).delete(key);
    else this.bucket(type).set(key, object);
    const event: StoredEvent = {
      resourceVersion: this.revision,
      type,
      eventType,
      object: structuredClone(object),
    };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped.at(-1)?.resourceVersion ?? this.compactedRevision;
    }
    for (const listener of this.listeners) listener(event);
    return structuredClone(object);
  }
}

export function notFound(type: ResourceType, name: string): KubeApiError {
  return new KubeApiError(
    failureStatus(404, 'NotFound', `${type.plural} "${name}" not found`, { name, kind: type.plural }),
  );
}
