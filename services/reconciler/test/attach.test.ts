import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints, type PublishRequest } from '@rds-csi/contracts';
import { Kvm } from '@nats-io/kv';
import { rejectionOf, waitFor, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, VOLUMES, metricValue } from './harness.js';

const [VOL_A, VOL_B, VOL_C, VOL_D] = VOLUMES;
const RWX: Partial<PublishRequest> = { access: 'multi-node', volumeMode: 'block' };

async function codeOf(fn: () => Promise<unknown>): Promise<unknown> {
  return (await rejectionOf(fn)).code;
}

describe('attachment endpoints', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats?.dispose();
  });

  it('enforces the fencing matrix', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c');
    const { bus } = await h.startReady();

    const first = await h.publish(VOL_A, 'node-a');
    assert.deepEqual(
      first.nodes.map((n) => n.nodeId),
      ['node-a'],
    );
    const again = await h.publish(VOL_A, 'node-a');
    assert.equal(again.nodes[0]?.attachedAt, first.nodes[0]?.attachedAt, 'same node again is idempotent');
    assert.equal(await codeOf(() => h.publish(VOL_A, 'node-b')), 'FAILED_PRECONDITION');
    assert.equal(await codeOf(() => h.publish(VOL_A, 'node-a', { readonly: true })), 'ALREADY_EXISTS');
    assert.equal(await codeOf(() => h.publish(VOL_A, 'node-a', { volumeMode: 'block' })), 'ALREADY_EXISTS');
    assert.equal(
      await codeOf(() => h.publish(VOL_B, 'node-a', { access: 'multi-node' })),
      'INVALID_ARGUMENT',
    );

    await h.publish(VOL_B, 'node-a', RWX);
    const pair = await h.publish(VOL_B, 'node-b', { ...RWX, migrationTimeoutSeconds: 60 });
    assert.deepEqual(
      pair.nodes.map((n) => n.nodeId),
      ['node-a', 'node-b'],
    );
    assert.ok(pair.migrationDeadline, 'a migration deadline is set');
    assert.equal(await codeOf(() => h.publish(VOL_B, 'node-c', RWX)), 'FAILED_PRECONDITION', 'no third node');

    assert.deepEqual(await h.unpublish(VOL_B, 'node-a'), { removed: true });
    const single = await h.client.request(endpoints.attachGet, { volumeId: VOL_B });
    assert.deepEqual(
      single.nodes.map((n) => n.nodeId),
      ['node-b'],
    );
    assert.equal(single.migrationDeadline, undefined, 'back to one node ends the migration');

    assert.deepEqual(await h.unpublish(VOL_C, 'node-a'), { removed: false }, 'unknown volume is a success');
    assert.deepEqual(await h.unpublish(VOL_A, 'node-c'), { removed: false }, 'unknown node is a success');
    assert.deepEqual(await h.unpublish(VOL_A, 'node-a'), { removed: true });
    assert.deepEqual(await h.unpublish(VOL_A, 'node-a'), { removed: false }, 'unpublish is idempotent');
    assert.equal(await codeOf(() => h.client.request(endpoints.attachGet, { volumeId: VOL_A })), 'NOT_FOUND');
    assert.deepEqual(
      (await h.publish(VOL_A, 'node-b')).nodes.map((n) => n.nodeId),
      ['node-b'],
      'free again after unpublish',
    );

    const { attachments } = await h.client.request(endpoints.attachList, {});
    assert.deepEqual(attachments.map((a) => a.volumeId).sort(), [VOL_A, VOL_B]);
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_publish_total', { outcome: 'FAILED_PRECONDITION' }),
      2,
    );
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_publish_total', { outcome: 'ALREADY_EXISTS' }), 2);
  });

  it('rejects malformed requests with INVALID_ARGUMENT', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    await h.startReady();
    const raw = async (path: string, body: string) => {
      const reply = await h.client.nc.request(h.client.names.subject(path), new TextEncoder().encode(body));
      return (JSON.parse(new TextDecoder().decode(reply.data)) as { error?: { code: string } }).error?.code;
    };
    const publish = endpoints.attachPublish.path;
    assert.equal(
      await raw(
        publish,
        `{"volumeId":"${VOL_A}","nodeId":"Node_A","access":"single-node","volumeMode":"block"}`,
      ),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      await raw(publish, `{"volumeId":"../etc","nodeId":"a","access":"single-node","volumeMode":"block"}`),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      await raw(publish, `{"volumeId":"${VOL_A}","nodeId":"a","access":"everyone","volumeMode":"block"}`),
      'INVALID_ARGUMENT',
    );
    assert.equal(await raw(publish, 'garbage'), 'INVALID_ARGUMENT');
    assert.equal(await raw(endpoints.reconcileTrigger.path, '{"dryRun":"yes"}'), 'INVALID_ARGUMENT');
  });

  it('lets exactly one of many concurrent single-node publishes win', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    await h.startReady();
    const nodes = Array.from({ length: 8 }, (_, i) => `node-${i}`);
    h.watcher.ready(...nodes);
    const results = await Promise.allSettled(nodes.map((node) => h.publish(VOL_A, node)));
    const winners = results.filter((r) => r.status === 'fulfilled');
    assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'FAILED_PRECONDITION');
    }
    const winner = winners[0]?.status === 'fulfilled' ? winners[0].value.nodes[0]?.nodeId : undefined;
    assert.deepEqual(await h.nodesOf(VOL_A), [winner]);
  });

  it('keeps the bucket consistent with two reconciler instances serving at once', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c', 'node-d');
    const one = await h.startReady({}, 'reconciler-1');
    const two = await h.startReady({}, 'reconciler-2');
    for (const volume of [VOL_A, VOL_B, VOL_C]) {
      const results = await Promise.allSettled(
        ['node-a', 'node-b', 'node-c', 'node-d'].map((node) => h.publish(volume, node)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `one winner for ${volume}`);
      assert.equal((await h.nodesOf(volume)).length, 1);
    }
    // Live migration pairs through both instances: never more than two nodes.
    const results = await Promise.allSettled(
      ['node-a', 'node-b', 'node-c', 'node-d'].map((node) => h.publish(VOL_D, node, RWX)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    assert.equal((await h.nodesOf(VOL_D)).length, 2);
    const served = [
      await metricValue(one.bus, 'rdscsi_reconciler_publish_total'),
      await metricValue(two.bus, 'rdscsi_reconciler_publish_total'),
    ];
    assert.equal(served[0]! + served[1]!, 16, `both instances count their decisions: ${served.join('+')}`);
  });

  it('keeps a corrupt record fencing its volume, reported but never crashing anything', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const { bus } = await h.startReady();
    await h.publish(VOL_B, 'node-a');
    const kv = await new Kvm(h.client.nc).open(h.client.names.attachmentsBucket);
    await kv.put(VOL_A, '{"volumeId": "not even close"');
    await kv.put(
      VOL_C,
      JSON.stringify({ volumeId: VOL_D, access: 'single-node', volumeMode: 'block', nodes: [] }),
    );

    assert.equal(await codeOf(() => h.publish(VOL_A, 'node-a')), 'FAILED_PRECONDITION');
    assert.equal(await codeOf(() => h.unpublish(VOL_A, 'node-a')), 'FAILED_PRECONDITION');
    assert.equal(
      await codeOf(() => h.client.request(endpoints.attachGet, { volumeId: VOL_C })),
      'FAILED_PRECONDITION',
    );
    const list = await h.client.request(endpoints.attachList, {});
    assert.deepEqual(
      list.attachments.map((a) => a.volumeId),
      [VOL_B],
    );
    assert.deepEqual(list.corrupt?.map((c) => c.key).sort(), [VOL_A, VOL_C]);
    const report = await h.client.request(endpoints.reconcileTrigger, {});
    assert.deepEqual(report.corrupt?.map((c) => c.key).sort(), [VOL_A, VOL_C]);
    assert.equal(report.checked, 1);
    await waitFor(async () => (await metricValue(bus, 'rdscsi_reconciler_corrupt_records')) === 2, {
      message: 'corrupt gauge',
    });
    assert.ok((await metricValue(bus, 'rdscsi_reconciler_corrupt_record_reads_total')) >= 4);

    await kv.delete(VOL_A);
    assert.deepEqual(
      (await h.publish(VOL_A, 'node-a')).nodes.map((n) => n.nodeId),
      ['node-a'],
      'usable once the operator removed it',
    );
    await waitFor(async () => (await metricValue(bus, 'rdscsi_reconciler_corrupt_records')) === 1, {
      message: 'corrupt gauge',
    });
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_attachments', { access: 'single-node' }), 2);
  });
});
