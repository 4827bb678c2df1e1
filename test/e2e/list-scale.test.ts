/**
 * ListVolumes of 10,000 volumes with 10,000 attachments through the CSI socket and every real service (connector on
 * the simulator, reconciler on its KV store, 1 MiB max_payload): before paging, attach.list could not fit one reply
 * and every ListVolumes failed RESOURCE_EXHAUSTED.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { SCHEMA_VERSION, encodeMessage } from '@rds-csi/contracts';
import type { CsiClient } from '@rds-csi/csi-spec';
import { seedExportedDisks } from '@rds-csi/rds-simulator';
import { BASE_PATH, E2eStack } from '../src/stack.js';

const COUNT = 10_000;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Printing 10,000 disks takes the simulator seconds on a loaded machine. */
const SLOW_MS = 300_000;

describe('ListVolumes at 10,000 volumes and attachments', () => {
  let stack: E2eStack;
  let csi: CsiClient;
  before(async () => {
    stack = await E2eStack.start({ nodes: ['node-a', 'node-b'], rdsCommandTimeoutMs: SLOW_MS });
    const ids = Array.from({ length: COUNT }, (_, n) => id(n));
    await seedExportedDisks(join(stack.dir, 'rds'), BASE_PATH.slice(1), ids);
    await stack.sim.restart();
    csi = await stack.startAll();
    const kv = await new Kvm(stack.client.nc).open(stack.client.names.attachmentsBucket);
    for (let n = 0; n < COUNT; n += 200) {
      await Promise.all(
        ids.slice(n, n + 200).map((volumeId, i) => {
          const nodeId = (n + i) % 2 === 0 ? 'node-a' : 'node-b';
          const record = {
            v: SCHEMA_VERSION,
            volumeId,
            access: 'single-node',
            volumeMode: 'filesystem',
            nodes: [
              {
                nodeId,
                nodeUid: stack.kube.getNode(nodeId)?.metadata.uid,
                readonly: false,
                attachedAt: new Date().toISOString(),
              },
            ],
          };
          return kv.put(volumeId, encodeMessage(record));
        }),
      );
    }
  });
  after(() => stack?.dispose());

  it('completes over every page, each volume with the node it is published to', async () => {
    const published = new Map<string, string[]>();
    let token = '';
    let pages = 0;
    do {
      const page = await csi.controller.ListVolumes(
        { starting_token: token },
        { deadline: Date.now() + SLOW_MS },
      );
      for (const entry of page.entries)
        published.set(entry.volume!.volume_id, entry.status!.published_node_ids);
      token = page.next_token;
      pages++;
    } while (token);
    assert.ok(pages > 1, `10,000 volumes need several pages, got ${pages}`);
    assert.equal(published.size, COUNT);
    for (let n = 0; n < COUNT; n++) {
      assert.deepEqual(published.get(id(n)), [n % 2 === 0 ? 'node-a' : 'node-b'], id(n));
    }
  });
});
