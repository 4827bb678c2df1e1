/**
 * ListVolumes at scale: 10,000 volumes, each published, through the gateway on a real nats-server (1 MiB
 * max_payload). The gateway asks the reconciler only for the attachments of the volumes on the page it answers, and
 * pages through them, so no reply has to carry every attachment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attachment, Volume } from '@rds-csi/contracts';
import { pvName, startHarness } from './support/harness.js';

const COUNT = 10_000;
const NQN = 'nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-0000000000aa';

const volume = (id: string): Volume => ({
  id,
  filePath: `/storage-pool/metal-csi/${id}.img`,
  sizeBytes: 1 << 30,
  nqn: `nqn.2000-02.com.mikrotik:${id}`,
  nvmeTcpPort: 4420,
  exported: true,
});

/** An RWX pair per volume with host NQNs: about twice the bytes of a volume entry, so attachments span pages. */
const attachment = (id: string, n: number): Attachment => ({
  volumeId: id,
  access: 'multi-node',
  volumeMode: 'block',
  nodes: [`node-${n % 100}`, `node-${(n + 1) % 100}`].map((nodeId) => ({
    nodeId,
    nodeUid: `uid-${nodeId}-0000-0000-0000-000000000000`,
    hostNqn: NQN,
    readonly: false,
    attachedAt: '2026-01-01T00:00:00.000Z',
  })),
  migrationDeadline: '2026-01-01T00:05:00.000Z',
  migrationTimeoutSeconds: 300,
});

test('a ListVolumes of 10,000 published volumes completes, each entry with its nodes, asking only for its page', async (t) => {
  const h = await startHarness(t);
  const reconciler = h.reconciler!;
  for (let n = 0; n < COUNT; n++) {
    h.connector.volumes.set(pvName(n), volume(pvName(n)));
    reconciler.attachments.set(pvName(n), attachment(pvName(n), n));
  }

  const published = new Map<string, string[]>();
  let token = '';
  let pages = 0;
  do {
    const page = await h.client.controller.ListVolumes({ starting_token: token });
    for (const entry of page.entries)
      published.set(entry.volume!.volume_id, entry.status!.published_node_ids);
    token = page.next_token;
    pages++;
  } while (token);

  assert.equal(published.size, COUNT);
  assert.ok(pages > 1, 'the volumes span service pages');
  for (const [id, nodes] of published) {
    const n = Number(id.slice(-12));
    assert.deepEqual(nodes, [`node-${n % 100}@${NQN}`, `node-${(n + 1) % 100}@${NQN}`], id);
  }
  const requests = reconciler.listRequests;
  assert.ok(requests.length > pages, 'the attachments of a page span pages too');
  assert.ok(
    requests.every((r) => r.volumeIds !== undefined && r.volumeIds.length < COUNT),
    'every attach.list names the volumes of one page',
  );
});
