/**
 * Issue 8 (R3): answers and decisions from the in-memory index hold every write answered before them. The index is
 * fed by a KV watch, whose consumer lives on one server; when that server is lost (the bucket's leader killed in the
 * R3 e2e test) the watch stalls until its idle heartbeats are missed, while publishes go on through the surviving
 * servers. Here the watch's consumer is deleted on a real nats-server, which stalls the watch the same way.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { endpoints } from '@rds-csi/contracts';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, identityOf } from './harness.js';

const volumeId = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Deletes every consumer of the attachment bucket's stream: the reconciler's watch stops receiving entries. */
async function stallWatch(h: Harness): Promise<void> {
  const jsm = await jetstreamManager(h.client.nc);
  const stream = `KV_${h.client.names.attachmentsBucket}`;
  const consumers = await jsm.consumers.list(stream).next();
  assert.ok(consumers.length > 0, 'the reconciler watches its bucket');
  for (const consumer of consumers) await jsm.consumers.delete(stream, consumer.name);
}

describe('the attachment index catches up before it answers', () => {
  let nats: NatsServerHandle;
  before(async () => (nats = await startNatsServer()));
  after(() => nats?.dispose());

  it('attach.list after an answered publish and unpublish names exactly what they left, though the watch stalled', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    h.watcher.ready('node-b');
    await h.startReady();
    await h.publish(volumeId(1), 'node-a');
    assert.deepEqual(await h.nodesOf(volumeId(1)), ['node-a']);

    await stallWatch(h);
    await h.publish(volumeId(2), 'node-b');
    await h.unpublish(volumeId(1), 'node-a');
    const { attachments } = await h.client.request(endpoints.attachList, {});
    assert.deepEqual(
      attachments.map((a) => [a.volumeId, a.nodes.map((n) => n.nodeId)]),
      [[volumeId(2), ['node-b']]],
      'the listing holds the answered publish and not the answered unpublish',
    );
  });

  it('a deleted node clears an attachment published just before, though the watch stalled', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    await h.startReady();
    await stallWatch(h);
    await h.publish(volumeId(3), 'node-a');
    h.watcher.nodes.delete('node-a');
    await h.nodeEvent('deleted', 'node-a', { uid: identityOf('node-a').uid });
    // Read from the bucket itself: a listing from a stalled index would show nothing either way.
    const kv = await new Kvm(h.client.nc).open(h.client.names.attachmentsBucket);
    await waitFor(async () => (await kv.get(volumeId(3)))?.operation === 'DEL', {
      timeoutMs: 15_000,
      message: "the deleted node's attachment is cleared in the store",
    });
  });
});
