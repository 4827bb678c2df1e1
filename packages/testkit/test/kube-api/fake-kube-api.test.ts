import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  makeInformer,
  Watch,
  type V1Node,
} from '@kubernetes/client-node';
import {
  OUT_OF_SERVICE_TAINT_KEY,
  rejectionOf,
  startFakeKubeApi,
  waitFor,
  type FakeKubeApi,
} from '../../src/index.js';

interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    metadata?: { name?: string; resourceVersion?: string };
  };
}

/** Opens a watch with the real client and records what arrives and how it ends. */
async function openWatch(api: FakeKubeApi, query: Record<string, string | boolean | number>) {
  const events: WatchEvent[] = [];
  let ended: { err: unknown } | undefined;
  const controller = await new Watch(api.kubeConfig()).watch(
    '/api/v1/nodes',
    query,
    (type, object: WatchEvent['object']) => events.push({ type, object }),
    (err: unknown) => (ended = { err }),
  );
  return { events, ended: () => ended, abort: () => controller.abort() };
}

function statusOf(err: unknown): { code?: number; reason?: string } {
  assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`);
  const body: unknown = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
  return body as { code?: number; reason?: string };
}

describe('fake Kubernetes API server with the real client-node', () => {
  let api: FakeKubeApi;
  let core: CoreV1Api;
  const cleanups: (() => unknown)[] = [];

  before(async () => {
    api = await startFakeKubeApi({ token: 'test-token', bookmarkIntervalMs: 100 });
    core = api.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    for (const node of api.nodes()) api.deleteNode(node.metadata.name ?? '');
  });
  after(() => api.close());

  it('lists nodes shaped like real ones, with resourceVersions', async () => {
    api.addNode('node-a');
    api.addNode('node-b', {
      ready: false,
      taints: [{ key: OUT_OF_SERVICE_TAINT_KEY, value: 'nodeshutdown', effect: 'NoExecute' }],
    });
    const list = await core.listNode();
    assert.equal(list.metadata?.resourceVersion, api.resourceVersion);
    assert.deepEqual(
      list.items.map((n) => n.metadata?.name),
      ['node-a', 'node-b'],
    );
    const [a, b] = list.items;
    assert.match(a?.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(Number(a?.metadata?.resourceVersion) < Number(b?.metadata?.resourceVersion));
    assert.ok(a?.metadata?.creationTimestamp instanceof Date);
    const readyOf = (n: V1Node | undefined) => n?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(readyOf(a)?.status, 'True');
    assert.equal(readyOf(b)?.status, 'False');
    assert.ok(readyOf(b)?.lastTransitionTime instanceof Date);
    assert.equal(b?.spec?.taints?.[0]?.key, OUT_OF_SERVICE_TAINT_KEY);
  });

  it('pages with limit and continue over a consistent snapshot', async () => {
    for (const name of ['n1', 'n2', 'n3', 'n4', 'n5']) api.addNode(name);
    const first = await core.listNode({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.equal(first.metadata?.remainingItemCount, 3);
    api.addNode('n6');
    const names = first.items.map((n) => n.metadata?.name);
    let token = first.metadata?._continue;
    while (token) {
      const page = await core.listNode({ limit: 2, _continue: token });
      assert.equal(page.metadata?.resourceVersion, first.metadata?.resourceVersion);
      names.push(...page.items.map((n) => n.metadata?.name));
      token = page.metadata?._continue;
    }
    assert.deepEqual(names, ['n1', 'n2', 'n3', 'n4', 'n5']);

    const again = await core.listNode({ limit: 2 });
    api.compactHistory();
    const err = await rejectionOf(() => core.listNode({ limit: 2, _continue: again.metadata?._continue }));
    assert.equal((err as ApiException<unknown>).code, 410);
  });

  it('streams watch events from a resourceVersion, in order, with the deleting revision', async () => {
    api.addNode('node-a');
    const from = api.resourceVersion;
    const w = await openWatch(api, { resourceVersion: from });
    cleanups.push(w.abort);
    api.setReady('node-a', false, { status: 'Unknown' });
    api.addTaint('node-a', { key: OUT_OF_SERVICE_TAINT_KEY, effect: 'NoExecute' });
    api.addNode('node-b');
    const deleted = api.deleteNode('node-a');
    await waitFor(() => w.events.length === 4);
    assert.deepEqual(
      w.events.map((e) => `${e.type} ${e.object.metadata?.name}`),
      ['MODIFIED node-a', 'MODIFIED node-a', 'ADDED node-b', 'DELETED node-a'],
    );
    assert.equal(w.events[0]?.object.kind, 'Node');
    assert.equal(w.events[3]?.object.metadata?.resourceVersion, deleted.metadata.resourceVersion);
    assert.equal(deleted.metadata.resourceVersion, api.resourceVersion);
  });

  it('resumes a watch with the changes it missed, and starts from "now" with synthetic ADDED events', async () => {
    api.addNode('node-a');
    const from = api.resourceVersion;
    api.addNode('node-b');
    api.setReady('node-a', false);
    const resumed = await openWatch(api, { resourceVersion: from });
    const fresh = await openWatch(api, { resourceVersion: '0' });
    cleanups.push(resumed.abort, fresh.abort);
    await waitFor(() => resumed.events.length === 2 && fresh.events.length === 2);
    assert.deepEqual(
      resumed.events.map((e) => `${e.type} ${e.object.metadata?.name}`),
      ['ADDED node-b', 'MODIFIED node-a'],
    );
    assert.deepEqual(
      fresh.events.map((e) => `${e.type} ${e.object.metadata?.name}`),
      ['ADDED node-a', 'ADDED node-b'],
    );
  });

  it('sends bookmarks only to watches that ask for them', async () => {
    const plain = await openWatch(api, { resourceVersion: api.resourceVersion });
    const marked = await openWatch(api, { resourceVersion: api.resourceVersion, allowWatchBookmarks: true });
    cleanups.push(plain.abort, marked.abort);
    await waitFor(() => marked.events.length >= 2);
    assert.equal(plain.events.length, 0);
    assert.equal(marked.events[0]?.type, 'BOOKMARK');
    assert.equal(marked.events[0]?.object.metadata?.resourceVersion, api.resourceVersion);
  });

  it('ends a watch cleanly after timeoutSeconds', async () => {
    const w = await openWatch(api, { resourceVersion: api.resourceVersion, timeoutSeconds: 1 });
    const ended = await waitFor(() => w.ended(), { message: 'watch end' });
    assert.equal(ended.err, null);
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event carrying Status 410', async () => {
    api.addNode('node-a');
    const old = api.resourceVersion;
    api.touchNode('node-a');
    api.compactHistory();
    const w = await openWatch(api, { resourceVersion: old });
    await waitFor(() => w.ended());
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0]?.type, 'ERROR');
    assert.deepEqual(
      [w.events[0]?.object.kind, w.events[0]?.object.code, w.events[0]?.object.reason],
      ['Status', 410, 'Expired'],
    );
  });

  it('keeps a real informer correct through expired watches (re-list) and dropped connections', async () => {
    api.addNode('node-a');
    api.addNode('node-b');
    const informer = makeInformer<V1Node>(api.kubeConfig(), '/api/v1/nodes', () => core.listNode());
    const errors: unknown[] = [];
    const deleted: string[] = [];
    informer.on('error', (err) => errors.push(err));
    informer.on('delete', (n) => deleted.push(n.metadata?.name ?? ''));
    await informer.start();
    cleanups.push(() => informer.stop());
    await waitFor(() => api.openWatchCount === 1);
    const lists = () => api.requests({ path: '/api/v1/nodes', watch: false }).length;
    const listsBefore = lists();

    api.expireWatches();
    api.deleteNode('node-b');
    api.addNode('node-c');
    await waitFor(
      () =>
        informer
          .list()
          .map((n) => n.metadata?.name)
          .join() === 'node-a,node-c',
      { message: 'cache after re-list' },
    );
    assert.equal(lists(), listsBefore + 1, 'one re-list after 410');
    assert.deepEqual(deleted, ['node-b']);

    api.dropWatches();
    await waitFor(() => errors.length === 1, { message: 'informer reports the dropped watch' });
    api.setReady('node-a', false);
    await informer.start();
    await waitFor(
      () => informer.get('node-a')?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False',
    );
    assert.equal(lists(), listsBefore + 1, 'resumed from its resourceVersion without listing');
  });

  it('holds silent watches open without sending anything; the missed events stay resumable', async () => {
    api.addNode('node-a');
    const from = api.resourceVersion;
    api.setSilentWatches(true);
    const silent = await openWatch(api, { resourceVersion: from, allowWatchBookmarks: true });
    cleanups.push(silent.abort, () => api.setSilentWatches(false));
    api.setReady('node-a', false);
    await waitFor(() => api.openWatchCount === 1);
    api.setSilentWatches(false);
    const resumed = await openWatch(api, { resourceVersion: from });
    cleanups.push(resumed.abort);
    await waitFor(() => resumed.events.length === 1);
    assert.equal(silent.events.length, 0);
    assert.equal(silent.ended(), undefined);
  });

  it('fails lists and watches on demand with 500 Status objects', async () => {
    api.failNextLists(1);
    const err = await rejectionOf(() => core.listNode());
    assert.equal((err as ApiException<unknown>).code, 500);
    assert.equal(statusOf(err).reason, 'InternalError');
    await core.listNode();

    api.failNextWatches(1);
    const w = await openWatch(api, { resourceVersion: api.resourceVersion });
    const ended = await waitFor(() => w.ended());
    assert.equal((ended.err as { statusCode?: number }).statusCode, 500);
  });

  it('stores Events created through core/v1 and events.k8s.io/v1', async () => {
    const involvedObject = { kind: 'PersistentVolume', name: 'pvc-1', apiVersion: 'v1' };
    const created = await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'pvc-1.' },
        involvedObject,
        reason: 'StaleAttachmentCleared',
        message: 'cleared',
        type: 'Warning',
      },
    });
    assert.match(created.metadata?.name ?? '', /^pvc-1\./);
    const events = api.kubeConfig().makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'pvc-1.x' },
        eventTime: new Date(),
        reportingController: 'rds.csi.srvlab.io/reconciler',
        reportingInstance: 'reconciler-0',
        action: 'Clear',
        reason: 'StaleAttachmentCleared',
        regarding: involvedObject,
        type: 'Warning',
      },
    });
    const stored = api.events();
    assert.deepEqual(
      stored.map((e) => [e.apiVersion, e.metadata.namespace, e.reason]),
      [
        ['v1', 'default', 'StaleAttachmentCleared'],
        ['events.k8s.io/v1', 'kube-system', 'StaleAttachmentCleared'],
      ],
    );
    assert.deepEqual(api.events({ namespace: 'default' }).length, 1);

    const missingName = await rejectionOf(() =>
      core.createNamespacedEvent({ namespace: 'default', body: { metadata: {}, involvedObject } }),
    );
    assert.equal((missingName as ApiException<unknown>).code, 422);
    const wrongNamespace = await rejectionOf(() =>
      core.createNamespacedEvent({
        namespace: 'default',
        body: { metadata: { name: 'x', namespace: 'other' }, involvedObject },
      }),
    );
    assert.equal((wrongNamespace as ApiException<unknown>).code, 400);
    const duplicate = await rejectionOf(() =>
      events.createNamespacedEvent({
        namespace: 'kube-system',
        body: { metadata: { name: 'pvc-1.x' }, eventTime: new Date() },
      }),
    );
    assert.equal((duplicate as ApiException<unknown>).code, 409);
  });

  it('serves PersistentVolumes with their claimRef, 404 Status for unknown ones', async () => {
    api.addPersistentVolume('pvc-11111111-2222-3333-4444-555555555555', {
      claim: { namespace: 'apps', name: 'data' },
    });
    const pv = await core.readPersistentVolume({ name: 'pvc-11111111-2222-3333-4444-555555555555' });
    assert.deepEqual([pv.spec?.claimRef?.namespace, pv.spec?.claimRef?.name], ['apps', 'data']);
    assert.equal(pv.spec?.csi?.volumeHandle, 'pvc-11111111-2222-3333-4444-555555555555');
    const err = await rejectionOf(() => core.readPersistentVolume({ name: 'pvc-missing' }));
    assert.equal((err as ApiException<unknown>).code, 404);
    assert.equal(statusOf(err).reason, 'NotFound');
  });

  it('serves cluster-scoped VolumeSnapshotContents (snapshot.storage.k8s.io/v1) to the custom objects client, paged', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    for (const n of [1, 2, 3]) {
      api.addVolumeSnapshotContent(`snapcontent-${n}`, {
        snapshotHandle: `snap-0000000${n}-0000-4000-8000-000000000000`,
        volumeHandle: `pvc-0000000${n}-0000-4000-8000-000000000000`,
        createdAt: at,
      });
    }
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const query = { group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotcontents' };
    type ContentList = {
      kind: string;
      items: { spec: { source: { volumeHandle: string } }; status: { creationTime: number } }[];
      metadata: { continue?: string };
    };
    const first = (await custom.listClusterCustomObject({ ...query, limit: 2 })) as ContentList;
    assert.equal(first.kind, 'VolumeSnapshotContentList');
    assert.equal(first.items.length, 2);
    assert.equal(first.items[0]?.status.creationTime, at.getTime() * 1_000_000);
    const rest = (await custom.listClusterCustomObject({
      ...query,
      limit: 2,
      _continue: first.metadata.continue ?? '',
    })) as ContentList;
    assert.deepEqual(
      rest.items.map((c) => c.spec.source.volumeHandle),
      ['pvc-00000003-0000-4000-8000-000000000000'],
    );
    assert.equal(rest.metadata.continue ?? '', '');
  });

  it('rejects unknown paths and bad credentials with Status objects', async () => {
    const unknown = await fetch(`${api.url}/api/v1/widgets`, {
      headers: { authorization: 'Bearer test-token' },
    });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { kind: string }).kind, 'Status');
    const noToken = await fetch(`${api.url}/api/v1/nodes`);
    assert.equal(noToken.status, 401);
  });

  it('writes a kubeconfig the client loads from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-kubeconfig-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    api.addNode('node-a');
    const kc = new KubeConfig();
    kc.loadFromFile(await api.writeKubeconfig(join(dir, 'config')));
    const list = await kc.makeApiClient(CoreV1Api).listNode();
    assert.deepEqual(
      list.items.map((n) => n.metadata?.name),
      ['node-a'],
    );
  });
});
