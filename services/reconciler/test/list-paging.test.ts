/**
 * Every listing of the reconciler pages under max_payload: attach.list (all, or only named volumes), the orphan
 * report, and its own reading of the node-watcher's paged node snapshot. The server's max_payload is 64 KiB here, so
 * a few hundred entries span several pages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { allPages, handle, pageOf, startService } from '@rds-csi/bus';
import { connectTestBus } from '@rds-csi/bus/testing';
import {
  SCHEMA_VERSION,
  encodeMessage,
  endpoints,
  type Attachment,
  type AttachmentList,
  type Volume,
} from '@rds-csi/contracts';
import { FakeKubeApi, rejectionOf, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, identityOf } from './harness.js';

const MAX_PAYLOAD = 64 * 1024;
const COUNT = 600;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ids = (count: number) => Array.from({ length: count }, (_, i) => id(i));

const attachment = (volumeId: string): Attachment => ({
  volumeId,
  access: 'single-node',
  volumeMode: 'filesystem',
  nodes: [
    {
      nodeId: 'node-a',
      nodeUid: identityOf('node-a').uid,
      readonly: false,
      attachedAt: '2026-01-01T00:00:00.000Z',
    },
  ],
});

/** Reads every page of attach.list for `request`, keeping each page's cursor. */
async function listAll(h: Harness, request: { volumeIds?: string[] } = {}) {
  const pages: AttachmentList[] = [];
  const attachments = await allPages(
    async (page) => {
      const reply = await h.client.request(endpoints.attachList, { ...page, ...request });
      pages.push(reply);
      return reply;
    },
    (page) => page.attachments.map((a) => a.volumeId),
  );
  return { attachments, pages, corrupt: pages.flatMap((p) => p.corrupt ?? []).map((c) => c.key) };
}

describe('reconciler listings page under max_payload', () => {
  let nats: NatsServerHandle;
  let kube: FakeKubeApi;
  let dir: string;
  before(async () => {
    nats = await startNatsServer({ maxPayload: MAX_PAYLOAD });
    kube = await FakeKubeApi.start();
    dir = await mkdtemp(join(tmpdir(), 'reconciler-paging-'));
  });
  after(async () => {
    await kube?.close();
    await nats?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pages attach.list: complete, ascending, corrupt records on their page; volumeIds asks for those only', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    await h.startReady();
    const kv = await new Kvm(h.client.nc).open(h.client.names.attachmentsBucket);
    const CORRUPT = id(300);
    for (let i = 0; i < COUNT; i += 50) {
      await Promise.all(
        ids(COUNT)
          .slice(i, i + 50)
          .map((v) =>
            kv.put(v, v === CORRUPT ? 'not json' : encodeMessage({ v: SCHEMA_VERSION, ...attachment(v) })),
          ),
      );
    }
    const valid = ids(COUNT).filter((v) => v !== CORRUPT);

    const all = await listAll(h);
    assert.ok(
      all.pages.length > 1,
      `${COUNT} attachments need several 64 KiB pages, got ${all.pages.length}`,
    );
    assert.deepEqual(all.attachments, valid, 'every attachment once, in ascending order');
    assert.deepEqual(all.corrupt, [CORRUPT], 'the corrupt record is reported once');

    const wanted = [...ids(COUNT).filter((_, i) => i % 2 === 0), 'pvc-ffffffff-0000-4000-8000-000000000000'];
    const some = await listAll(h, { volumeIds: wanted });
    assert.ok(some.pages.length > 1, 'the named volumes span pages too');
    assert.deepEqual(
      some.attachments,
      valid.filter((v) => wanted.includes(v)),
      'only the named volumes, without the one that has no record',
    );
    assert.deepEqual(some.corrupt, [CORRUPT]);

    const first = await h.client.request(endpoints.attachList, { limit: 3 });
    assert.deepEqual(
      first.attachments.map((a) => a.volumeId),
      ids(3),
    );
    assert.equal(first.nextCursor, id(2));
  });

  it('pages the orphan report; its counts are of the whole report', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    const volumes: Volume[] = ids(COUNT).map((v) => ({
      id: v,
      filePath: `/storage-pool/metal-csi/${v}.img`,
      sizeBytes: 1 << 30,
      nqn: `nqn.2000-02.com.mikrotik:${v}`,
      nvmeTcpPort: 4420,
      exported: true,
    }));
    const connector = await connectTestBus(nats.url, 'fake-rds-connector', { prefix: h.prefix });
    const service = await startService(
      connector,
      { name: 'rds-connector', version: 'test', description: 'volume list' },
      [
        handle(endpoints.volumeList, async (req, ctx) => {
          const page = pageOf(volumes, (v) => v.id, req, ctx.maxReplyBytes);
          return { volumes: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
        }),
      ],
    );
    t.after(async () => {
      await service.stop();
      await connector.close();
    });
    kube.addPersistentVolume(id(7));
    h.watcher.ready('node-a');
    const kubeconfigPath = await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    await h.startReady({ kubernetes: { kubeconfigPath }, orphanGraceMs: 0 });

    let pages = 0;
    const orphans = await allPages(
      async (page) => {
        pages++;
        const report = await h.client.request(endpoints.orphansReport, page);
        assert.equal(report.volumesChecked, COUNT, 'each page says how many volumes were checked in all');
        return report;
      },
      (report) => report.orphans.map((o) => o.volumeId),
    );
    assert.ok(pages > 1, `${COUNT} orphans need several pages, got ${pages}`);
    assert.deepEqual(
      orphans,
      ids(COUNT).filter((v) => v !== id(7)),
    );
  });

  it('reads a node list of several pages for a pass, and asks for one node on publish', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.pageBytes = 4096;
    const many = Array.from({ length: 100 }, (_, i) => `node-${String(i).padStart(3, '0')}`);
    h.watcher.ready(...many, 'node-z');
    await h.startReady();

    const snapshotsBefore = h.watcher.requests;
    await h.publish(id(1), 'node-z');
    assert.equal(h.watcher.lookups, 1, 'publish asked for its node');
    assert.equal(h.watcher.requests, snapshotsBefore, 'and not for the node list');
    const ghost = await rejectionOf(() => h.publish(id(2), 'node-ghost'));
    assert.equal(ghost.code, 'NOT_FOUND', 'a node that does not exist stays NOT_FOUND');
    assert.deepEqual(await h.nodesOf(id(2)), [], 'and nothing is recorded for it');

    // node-z sorts after the first pages: a pass that read only one page would call it missing, or never see it.
    h.watcher.notReady('node-z', new Date(Date.now() - 3_600_000));
    const pass = await h.client.request(endpoints.reconcileTrigger, {});
    assert.ok(h.watcher.requests - snapshotsBefore > 1, 'the pass read several pages');
    assert.deepEqual(
      pass.cleared.map((c) => [c.volumeId, c.nodeId, c.reason]),
      [[id(1), 'node-z', 'node-not-ready']],
    );
  });
});
