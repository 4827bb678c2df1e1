import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import {
  buildNode,
  buildPersistentVolume,
  buildVolumeAttachment,
  buildVolumeSnapshotContent,
  failureStatus,
  kubeTime,
  readyCondition,
  type KubeNode,
  type KubeObject,
  type KubeStatus,
  type NodeCondition,
  type NodeOptions,
  type PersistentVolumeOptions,
  type Taint,
  type VolumeAttachmentOptions,
  type VolumeSnapshotContentOptions,
} from './objects.js';
import {
  KubeApiError,
  ObjectStore,
  RESOURCE_TYPES,
  notFound,
  type ResourceType,
  type StoredEvent,
} from './store.js';
import { errorMessage } from '@rds-csi/contracts';

export interface FakeKubeApiOptions {
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** When set, every request must carry `Authorization: Bearer <token>` (the kubeconfig does). */
  token?: string;
  /** Changes kept for resuming watches; older resourceVersions get 410 Gone. Default 1000. */
  historyLimit?: number;
  /** How often watches that asked for bookmarks get one. Default 1000 ms (a real server: about a minute). */
  bookmarkIntervalMs?: number;
  /** Nodes present from the start (all Ready unless their options say otherwise). */
  nodes?: (string | ({ name: string } & NodeOptions))[];
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
}

interface OpenWatch {
  readonly type: ResourceType;
  readonly response: ServerResponse;
  /** A silent watch stays open and sends nothing, like a connection lost without a FIN. */
  silent: boolean;
}

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

const NODES = resourceType('/api/v1', 'nodes');
/** The fake stores nodes as the tests write them (odd shapes included, on purpose); it does not validate them. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above.
const asNode = (object: KubeObject): KubeNode => object as KubeNode;
const maybeNode = (object: KubeObject | undefined): KubeNode | undefined => object && asNode(object);
const PERSISTENT_VOLUMES = resourceType('/api/v1', 'persistentvolumes');
const VOLUME_ATTACHMENTS = resourceType('/apis/storage.k8s.io/v1', 'volumeattachments');
const VOLUME_SNAPSHOT_CONTENTS = resourceType('/apis/snapshot.storage.k8s.io/v1', 'volumesnapshotcontents');
const CORE_EVENTS = resourceType('/api/v1', 'events');
const EVENTS_V1 = resourceType('/apis/events.k8s.io/v1', 'events');

function resourceType(apiPath: string, plural: string): ResourceType {
  const found = RESOURCE_TYPES.find((t) => t.apiPath === apiPath && t.plural === plural);
  if (!found) throw new Error(`unknown resource ${apiPath}/${plural}`);
  return found;
}

/** `/api/v1/nodes[/name]`, `/api/v1/namespaces/ns/events[/name]`, `/apis/events.k8s.io/v1/namespaces/ns/events`. */
function route(pathname: string): Route | undefined {
  for (const type of RESOURCE_TYPES) {
    if (!pathname.startsWith(type.apiPath + '/')) continue;
    let parts = pathname
      .slice(type.apiPath.length + 1)
      .split('/')
      .map(decodeURIComponent);
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      namespace = parts[1];
      parts = parts.slice(2);
    }
    const [plural, name, ...extra] = parts;
    if (plural !== type.plural || extra.length > 0 || name === '') continue;
    // Cluster-scoped objects have no namespace; namespaced ones are addressed by name only inside one.
    if (!type.namespaced && namespace !== undefined) continue;
    if (type.namespaced && name !== undefined && namespace === undefined) continue;
    return { type, namespace, name };
  }
  return undefined;
}

/**
 * A Kubernetes API server for tests, in process, speaking the real protocol to the real `@kubernetes/client-node`:
 * lists with resourceVersion and limit/continue paging, chunked watch streams (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR)
 * resumable from a resourceVersion, 410 Gone for expired history, Status objects for every failure, Event creation
 * (core/v1 and events.k8s.io/v1) and PersistentVolume reads. Switches inject the faults informers must survive:
 * dropped connections, expired watches, silent watches, failing lists and watches.
 */
export class FakeKubeApi {
  private readonly watches = new Set<OpenWatch>();
  private readonly pages = new Map<
    string,
    { items: KubeObject[]; resourceVersion: string; listKind: string }
  >();
  private readonly log: RequestRecord[] = [];
  private silentWatches = false;
  private listFailures = 0;
  private hanging = false;
  private watchFailures = 0;
  private bookmarks = 0;

  private constructor(
    private readonly server: Server,
    private readonly store: ObjectStore,
    private readonly options: FakeKubeApiOptions,
  ) {}

  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const store = new ObjectStore(options.historyLimit ?? 1000);
    const server = createServer();
    const api = new FakeKubeApi(server, store, options);
    server.on('request', (req, res) => api.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    for (const node of options.nodes ?? []) {
      if (typeof node === 'string') api.addNode(node);
      else api.addNode(node.name, node);
    }
    return api;
  }

  get port(): number {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a listening TCP server (not a pipe) has an AddressInfo address.
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The current (latest) resourceVersion. */
  get resourceVersion(): string {
    return String(this.store.resourceVersion);
  }

  /** Watch connections currently open (on any resource). */
  get openWatchCount(): number {
    return this.watches.size;
  }

  /** Bookmark events sent so far (to any watch). */
  get bookmarksSent(): number {
    return this.bookmarks;
  }

  /** Every request served so far, in order. */
  requests(filter?: { method?: string; path?: string; watch?: boolean }): RequestRecord[] {
    return this.log.filter(
      (r) =>
        (filter?.method === undefined || r.method === filter.method) &&
        (filter?.path === undefined || r.path === filter.path) &&
        (filter?.watch === undefined || isWatch(r.query) === filter.watch),
    );
  }

  // ---------- kubeconfig ----------

  /** A kubeconfig (YAML) pointing at this server over plain HTTP, with the bearer token when one is required. */
  kubeconfigYaml(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${this.url}`,
      // client-node refuses plain http unless TLS verification is explicitly off.
      '    insecure-skip-tls-verify: true',
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: fake',
      'current-context: fake',
      'users:',
      '- name: fake',
      '  user:',
      ...(this.options.token ? [`    token: ${this.options.token}`] : ['    {}']),
      '',
    ].join('\n');
  }

  async writeKubeconfig(path: string): Promise<string> {
    await writeFile(path, this.kubeconfigYaml(), { mode: 0o600 });
    return path;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.kubeconfigYaml());
    return kc;
  }

  // ---------- nodes ----------

  addNode(name: string, options: NodeOptions = {}): KubeNode {
    return asNode(this.store.create(NODES, buildNode(name, options), undefined, options.identity));
  }

  getNode(name: string): KubeNode | undefined {
    return maybeNode(this.store.get(NODES, undefined, name));
  }

  nodes(): KubeNode[] {
    return this.store.list(NODES).map(asNode);
  }

  /** Any change to a node (including odd or malformed shapes); emits MODIFIED. */
  updateNode(name: string, mutate: (node: KubeNode) => void): KubeNode {
    return asNode(this.store.update(NODES, undefined, name, (o) => mutate(asNode(o))));
  }

  /**
   * Sets the Ready condition, as the kubelet (True/False) or the node lifecycle controller (Unknown) does;
   * lastTransitionTime moves only when the status changes.
   */
  setReady(
    name: string,
    ready: boolean,
    options: { status?: 'False' | 'Unknown'; at?: Date } = {},
  ): KubeNode {
    const status: NodeCondition['status'] = ready ? 'True' : (options.status ?? 'False');
    const at = options.at ?? new Date();
    return this.updateNode(name, (node) => {
      const conditions = (node.status.conditions ??= []);
      const fresh = readyCondition(status, at);
      const index = conditions.findIndex((c) => c.type === 'Ready');
      const previous = conditions[index];
      if (previous?.status === status) fresh.lastTransitionTime = previous.lastTransitionTime;
      if (index >= 0) conditions[index] = fresh;
      else conditions.push(fresh);
    });
  }

  /** A heartbeat: a MODIFIED event in which nothing but timestamps changes. */
  touchNode(name: string): KubeNode {
    return this.updateNode(name, (node) => {
      for (const condition of node.status.conditions ?? []) condition.lastHeartbeatTime = kubeTime();
    });
  }

  /** Adds (or replaces) a taint; NoExecute taints get timeAdded, as the API server records it. */
  addTaint(name: string, taint: Taint): KubeNode {
    return this.updateNode(name, (node) => {
      const taints = (node.spec.taints ?? []).filter((t) => t.key !== taint.key || t.effect !== taint.effect);
      taints.push({
        ...taint,
        ...(taint.effect === 'NoExecute' && !taint.timeAdded ? { timeAdded: kubeTime() } : {}),
      });
      node.spec.taints = taints;
    });
  }

  removeTaint(name: string, key: string): KubeNode {
    return this.updateNode(name, (node) => {
      const taints = (node.spec.taints ?? []).filter((t) => t.key !== key);
      if (taints.length) node.spec.taints = taints;
      else delete node.spec.taints;
    });
  }

  deleteNode(name: string): KubeNode {
    return asNode(this.store.delete(NODES, undefined, name));
  }

  // ---------- persistent volumes and events ----------

  addPersistentVolume(name: string, options: PersistentVolumeOptions = {}): KubeObject {
    return this.store.create(PERSISTENT_VOLUMES, buildPersistentVolume(name, options));
  }

  addVolumeAttachment(name: string, options: VolumeAttachmentOptions): KubeObject {
    return this.store.create(VOLUME_ATTACHMENTS, buildVolumeAttachment(name, options));
  }

  addVolumeSnapshotContent(name: string, options: VolumeSnapshotContentOptions): KubeObject {
    return this.store.create(VOLUME_SNAPSHOT_CONTENTS, buildVolumeSnapshotContent(name, options));
  }

  /** Deletes a VolumeAttachment, as the attach/detach controller does once the volume is detached. */
  deleteVolumeAttachment(name: string): KubeObject {
    return this.store.delete(VOLUME_ATTACHMENTS, undefined, name);
  }

  /** Events created through the API (core/v1 and events.k8s.io/v1), oldest first. */
  events(filter: { namespace?: string } = {}): KubeObject[] {
    return [
      ...this.store.list(CORE_EVENTS, filter.namespace),
      ...this.store.list(EVENTS_V1, filter.namespace),
    ].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  // ---------- fault switches ----------

  /** Destroys the sockets of all open watches, as a broken network or an API server crash does. */
  dropWatches(): void {
    for (const watch of this.watches) watch.response.socket?.destroy();
  }

  /**
   * Forgets all history and ends every open watch with an ERROR event carrying Status 410 (Expired): clients must
   * re-list, since resuming from their resourceVersion is refused too.
   */
  expireWatches(): void {
    this.compactHistory();
    for (const watch of this.watches) {
      this.writeEvent(
        watch,
        'ERROR',
        failureStatus(410, 'Expired', `too old resource version: ${this.resourceVersion}`),
      );
      watch.response.end();
    }
  }

  /** Etcd compaction: watches resuming from any earlier resourceVersion (and old continue tokens) get 410 Gone. */
  compactHistory(): void {
    this.store.compact();
    this.pages.clear();
  }

  /**
   * While on, every watch (open or new) sends nothing: no events, no bookmarks. Watches opened while it was on stay
   * silent after it is switched off, like a black-holed connection; the events they missed stay in the history.
   */
  setSilentWatches(silent: boolean): void {
    this.silentWatches = silent;
    if (silent) for (const watch of this.watches) watch.silent = true;
  }

  /** While on, every request but a watch is read and never answered, like an API server that stopped responding. */
  setHanging(hanging: boolean): void {
    this.hanging = hanging;
  }

  /** The next `count` list requests fail with 500 InternalError. */
  failNextLists(count: number): void {
    this.listFailures = count;
  }

  /** The next `count` watch requests fail with 500 InternalError before the stream starts. */
  failNextWatches(count: number): void {
    this.watchFailures = count;
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------- HTTP ----------

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.log.push({ method: req.method ?? 'GET', path: url.pathname, query });
    if (this.hanging && !isWatch(query)) return;
    void this.dispatch(req, res, url.pathname, query).catch((err: unknown) => {
      const status =
        err instanceof KubeApiError
          ? err.status
          : failureStatus(500, 'InternalError', `fake API server: ${errorMessage(err)}`);
      if (res.headersSent) res.end();
      else sendJson(res, status.code, status);
    });
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: Record<string, string>,
  ): Promise<void> {
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      throw new KubeApiError(failureStatus(401, 'Unauthorized', 'Unauthorized'));
    }
    const target = route(pathname);
    if (!target)
      throw new KubeApiError(
        failureStatus(404, 'NotFound', 'the server could not find the requested resource'),
      );
    if (query.labelSelector || query.fieldSelector) {
      throw new KubeApiError(
        failureStatus(
          400,
          'BadRequest',
          'label and field selectors are not supported by the fake API server',
        ),
      );
    }
    const { type, namespace, name } = target;
    if (req.method === 'GET' && name === undefined) {
      if (isWatch(query)) this.watch(res, type, namespace, query);
      else this.list(res, type, namespace, query);
    } else if (req.method === 'GET' && name !== undefined) {
      const found = this.store.get(type, namespace, name);
      if (!found) throw notFound(type, name);
      sendJson(res, 200, found);
    } else if (req.method === 'POST' && name === undefined) {
      sendJson(res, 201, this.store.create(type, await readObject(req), namespace));
    } else if (req.method === 'DELETE' && name !== undefined) {
      sendJson(res, 200, this.store.delete(type, namespace, name));
    } else {
      throw new KubeApiError(
        failureStatus(405, 'MethodNotAllowed', `${req.method ?? ''} is not supported on ${pathname}`),
      );
    }
  }

  private list(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: Record<string, string>,
  ): void {
    if (this.listFailures > 0) {
      this.listFailures -= 1;
      throw new KubeApiError(failureStatus(500, 'InternalError', 'etcdserver: request timed out (injected)'));
    }
    let page = query.continue ? this.pages.get(query.continue) : undefined;
    if (query.continue && !page) {
      throw new KubeApiError(
        failureStatus(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        ),
      );
    }
    page ??= {
      items: this.store
        .list(type, namespace)
        .map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item as KubeObject),
      resourceVersion: this.resourceVersion,
      listKind: `${type.kind}List`,
    };
    const limit = Number(query.limit);
    const rest = Number.isInteger(limit) && limit > 0 ? page.items.slice(limit) : [];
    const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
    if (rest.length) {
      const token = randomUUID();
      this.pages.set(token, { ...page, items: rest });
      metadata.continue = token;
      metadata.remainingItemCount = rest.length;
    }
    const items = rest.length ? page.items.slice(0, limit) : page.items;
    sendJson(res, 200, { kind: page.listKind, apiVersion: type.apiVersion, metadata, items });
  }

  private watch(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: Record<string, string>,
  ): void {
    if (this.watchFailures > 0) {
      this.watchFailures -= 1;
      throw new KubeApiError(failureStatus(500, 'InternalError', 'watch failed (injected)'));
    }
    const from = query.resourceVersion ?? '';
    if (from !== '' && !/^\d+$/.test(from)) {
      throw new KubeApiError(failureStatus(400, 'BadRequest', `invalid resource version "${from}"`));
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    res.flushHeaders();
    const watch: OpenWatch = { type, response: res, silent: this.silentWatches };
    const matches = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace;

    // "" and "0" mean "from any point": the current objects arrive as synthetic ADDED events first.
    const backlog =
      from === '' || from === '0'
        ? this.store.list(type, namespace).map((object) => ({ eventType: 'ADDED', object }))
        : this.store.changesSince(type, Number(from));
    if (!backlog) {
      this.writeEvent(
        watch,
        'ERROR',
        failureStatus(410, 'Expired', `too old resource version: ${from} (${this.resourceVersion})`),
      );
      res.end();
      return;
    }
    for (const e of backlog) if (matches(e.object)) this.writeEvent(watch, e.eventType, e.object);

    const unsubscribe = this.store.subscribe((e: StoredEvent) => {
      if (e.type === type && matches(e.object)) this.writeEvent(watch, e.eventType, e.object);
    });
    const timers: NodeJS.Timeout[] = [];
    if (query.allowWatchBookmarks === 'true') {
      const bookmark = () =>
        this.writeEvent(watch, 'BOOKMARK', {
          kind: type.kind,
          apiVersion: type.apiVersion,
          metadata: { resourceVersion: this.resourceVersion, creationTimestamp: null },
        });
      timers.push(setInterval(bookmark, this.options.bookmarkIntervalMs ?? 1000));
    }
    const timeoutSeconds = Number(query.timeoutSeconds);
    if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)
      timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000));
    for (const timer of timers) timer.unref();
    this.watches.add(watch);
    res.once('close', () => {
      this.watches.delete(watch);
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
    });
  }

  private writeEvent(
    watch: OpenWatch,
    type: string,
    object: KubeObject | KubeStatus | { metadata: object; kind: string; apiVersion: string },
  ): void {
    if (watch.silent || watch.response.writableEnded || watch.response.destroyed) return;
    if (type === 'BOOKMARK') this.bookmarks += 1;
    watch.response.write(JSON.stringify({ type, object }) + '\n');
  }
}

function isWatch(query: Record<string, string>): boolean {
  return query.watch === 'true' || query.watch === '1';
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readObject(req: IncomingMessage): Promise<KubeObject> {
  const chunks: Buffer[] = [];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a request stream without setEncoding yields Buffers.
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new KubeApiError(failureStatus(400, 'BadRequest', 'the request body is not valid JSON'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KubeApiError(failureStatus(400, 'BadRequest', 'the request body must be a JSON object'));
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- checked to be an object; metadata is made one next, the rest is the client's to get wrong.
  const object = body as KubeObject;
  object.metadata = typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  return object;
}

export const startFakeKubeApi = (options?: FakeKubeApiOptions): Promise<FakeKubeApi> =>
  FakeKubeApi.start(options);
