import {
  CoreV1Api,
  ListWatch,
  Watch,
  type KubeConfig,
  type V1Node,
  type V1NodeList,
} from '@kubernetes/client-node';
import { backoffDelayMs, kubeCallTimeout, type BackoffPolicy } from '@rds-csi/bus';
import { isRecord } from '@rds-csi/contracts';
import { essentialNode } from './node-state.js';

/** Why the node list/watch started over. */
export type RestartReason = 'gone' | 'watch-error' | 'list-error' | 'silent' | 'closed';

/**
 * Classifies the end of a watch from what client-node hands its done callback: an ERROR event seen in the stream
 * (410 means the resourceVersion expired), or the error the request ended with (a TimeoutError is the library's
 * inactivity abort, i.e. a silent watch), or nothing at all (the server closed the stream).
 */
export function classifyWatchEnd(err: unknown, errorEventCode: number | undefined): RestartReason {
  const failure = (err ?? {}) as { statusCode?: unknown; code?: unknown; name?: unknown };
  if (errorEventCode === 410 || failure.statusCode === 410 || failure.code === 410) return 'gone';
  if (errorEventCode !== undefined) return 'watch-error';
  if (!err) return 'closed';
  return failure.name === 'TimeoutError' ? 'silent' : 'watch-error';
}

export interface NodeInformerEvents {
  upsert(node: V1Node): void;
  remove(node: V1Node): void;
  /** The cache holds a complete list: called each time a watch starts, which follows a list or resumes after one. */
  synced(): void;
  /** A watch event or bookmark arrived. */
  activity(): void;
  restarted(reason: RestartReason, err: unknown): void;
}

export interface NodeInformerOptions {
  /** A watch with no event and no bookmark for this long is restarted. */
  silentWatchMs: number;
  /** Delays between restarts after failures; reset by the next watch event or bookmark. */
  backoff: BackoffPolicy;
  /** Each page of the node list gives up after this long (then the informer restarts with backoff). Default 30 s. */
  listPageTimeoutMs?: number;
}

const LIST_PAGE_SIZE = 500;
const LIST_PAGE_TIMEOUT_MS = 30_000;

/** The essential fields typed as the Node the informer's cache is declared to hold. */
const essential = (node: V1Node): V1Node =>
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a subset of the Node's own fields, every one optional in V1Node; the driver reads nothing else.
  essentialNode(node) as unknown as V1Node;

/** Server-side watch lifetime, spread over 5-10 minutes like client-go's reflector so watches rotate across API servers. */
const watchTimeoutSeconds = (): number => 300 + Math.floor(Math.random() * 300);

interface WatchObserver {
  /** ListWatch may call watch() after a reconnect delay that began before the informer stopped. */
  stopped(): boolean;
  started(): void;
  activity(): void;
  ended(reason: RestartReason, err: unknown): void;
}

/**
 * client-node's Watch with what the informer needs: bookmarks requested (so quiet clusters still show a live watch),
 * a server-side timeout, and every event and ending reported.
 */
class ObservedWatch extends Watch {
  constructor(
    config: KubeConfig,
    silentWatchMs: number,
    private readonly observer: WatchObserver,
  ) {
    super(config);
    // client-node 2.0.1 aborts a watch that receives no bytes for its private `requestTimeoutMs` (30 s) with a
    // TimeoutError, and ListWatch then resumes it at once: exactly the silent-watch restart, with our bound.
    if (!Reflect.has(this, 'requestTimeoutMs')) {
      throw new Error(
        '@kubernetes/client-node Watch has no requestTimeoutMs: re-check the silent-watch restart after upgrading it',
      );
    }
    Reflect.set(this, 'requestTimeoutMs', silentWatchMs);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.observer.stopped()) return new AbortController();
    let errorEventCode: number | undefined;
    this.observer.started();
    return super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds() },
      (phase, apiObj: unknown, watchObj: unknown) => {
        if (phase === 'ERROR') {
          const code = isRecord(apiObj) ? apiObj.code : undefined;
          errorEventCode = typeof code === 'number' ? code : 500;
          callback(phase, apiObj, watchObj);
          return;
        }
        this.observer.activity();
        // ListWatch caches what it is handed: only the fields the driver reads (bookmarks keep resourceVersion).
        callback(phase, essentialNode(apiObj), watchObj);
      },
      (err: unknown) => {
        this.observer.ended(classifyWatchEnd(err, errorEventCode), err);
        done(err);
      },
    );
  }
}

/**
 * A client-node informer (ListWatch) on Nodes that never gives up. The library re-lists after 410 and resumes after
 * timeouts and clean closes by itself, but stops for good on any other error (a dropped connection, a failed list or
 * watch request) after reporting it; this wrapper then starts it again with backoff. A restart resumes from the last
 * resourceVersion when it has one, so it costs no list unless the history expired.
 */
export class NodeInformer {
  private readonly listWatch: ListWatch<V1Node>;
  private stopped = true;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly options: NodeInformerOptions,
    private readonly events: NodeInformerEvents,
  ) {
    const api = config.makeApiClient(CoreV1Api);
    const watch = new ObservedWatch(config, options.silentWatchMs, {
      stopped: () => this.stopped,
      started: () => events.synced(),
      activity: () => {
        this.failures = 0;
        events.activity();
      },
      ended: (reason, err) => {
        if (!this.stopped) events.restarted(reason, err);
      },
    });
    this.listWatch = new ListWatch<V1Node>('/api/v1/nodes', watch, () => this.listAll(api), false);
    this.listWatch.on('add', (node) => events.upsert(node));
    this.listWatch.on('update', (node) => events.upsert(node));
    this.listWatch.on('delete', (node) => events.remove(node));
    this.listWatch.on('error', () => this.scheduleRestart());
  }

  start(): void {
    this.stopped = false;
    this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.listWatch.stop();
  }

  private run(): void {
    this.listWatch.start().catch((err: unknown) => {
      // Failures before any request is sent (credentials, kubeconfig) reject here instead of reaching 'error'.
      if (this.stopped) return;
      this.events.restarted('watch-error', err);
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (this.stopped) return;
    clearTimeout(this.restartTimer);
    this.failures += 1;
    this.restartTimer = setTimeout(() => this.run(), backoffDelayMs(this.failures, this.options.backoff));
    this.restartTimer.unref();
  }

  /** Lists every node in pages; a paged list is one consistent snapshot at the first page's resourceVersion. */
  private async listAll(api: CoreV1Api): Promise<V1NodeList> {
    const deadline = () =>
      kubeCallTimeout(this.config, this.options.listPageTimeoutMs ?? LIST_PAGE_TIMEOUT_MS);
    try {
      let page = await api.listNode({ limit: LIST_PAGE_SIZE }, deadline());
      const items = page.items.map(essential);
      const resourceVersion = page.metadata?.resourceVersion;
      while (page.metadata?._continue) {
        page = await api.listNode({ limit: LIST_PAGE_SIZE, _continue: page.metadata._continue }, deadline());
        items.push(...page.items.map(essential));
      }
      return { apiVersion: 'v1', kind: 'NodeList', metadata: { resourceVersion }, items };
    } catch (err) {
      if (!this.stopped) this.events.restarted('list-error', err);
      throw err;
    }
  }
}
