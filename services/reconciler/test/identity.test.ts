import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, VOLUMES, metricValue } from './harness.js';

const [VOL_A, VOL_B] = VOLUMES;
const HOUR_MS = 3_600_000;

/** Node identity and the currency of the node list, through the real reconciler on a real nats-server. */
describe('node identity and node-list currency', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats?.dispose();
  });

  it('clears on a deleted event only the attachments to the node object it describes (finding 2)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const { bus } = await h.startReady();
    const record = await h.publish(VOL_A, 'node-a');
    assert.equal(record.nodes[0]?.nodeUid, 'uid-node-a');

    // A late deletion of an older object of the same name, stamped later than the attachment (as a watcher that
    // noticed late stamps it): the attachment is to the new object and stays.
    const late = new Date(Date.now() + HOUR_MS).toISOString();
    await h.nodeEvent('deleted', 'node-a', { uid: 'uid-older', at: late });
    await waitFor(
      async () =>
        (await metricValue(bus, 'rdscsi_reconciler_node_events_total', {
          kind: 'deleted',
          outcome: 'handled',
        })) === 1,
      { message: 'the late deletion was handled' },
    );
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'an event about another object clears nothing');

    await h.nodeEvent('deleted', 'node-a', { uid: 'uid-node-a', at: late });
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      message: 'its own deletion clears it',
    });
  });

  it('judges a pass as of the node cache currentAt and refuses a cache that is not current (finding 3)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    await h.startReady({ nodeCacheMaxAgeMs: HOUR_MS });
    await h.publish(VOL_A, 'node-a');
    const listedBefore = new Date(Date.now() - 1_000);
    await h.publish(VOL_B, 'node-b');

    // The cache went silent before node-b's attachment: its absence from the list says nothing about it.
    h.watcher.nodes.delete('node-b');
    h.watcher.currentAt = listedBefore;
    const pass = await h.client.request(endpoints.reconcileTrigger, {});
    assert.deepEqual(pass.cleared, []);
    assert.deepEqual(await h.nodesOf(VOL_B), ['node-b']);

    h.watcher.currentAt = new Date(Date.now() - 2 * HOUR_MS);
    const refused = await rejectionOf(() => h.client.request(endpoints.reconcileTrigger, {}));
    assert.equal(
      refused.code,
      'UNAVAILABLE',
      'a cache not current for longer than the bound decides nothing',
    );
    assert.deepEqual(await h.nodesOf(VOL_B), ['node-b']);

    h.watcher.currentAt = undefined;
    const current = await h.client.request(endpoints.reconcileTrigger, {});
    assert.deepEqual(
      current.cleared.map((c) => [c.volumeId, c.nodeId, c.reason]),
      [[VOL_B, 'node-b', 'node-missing']],
    );
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a']);
  });

  it('clears an attachment whose node object was replaced under the same name in the list (finding 2)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    await h.startReady();
    await h.publish(VOL_A, 'node-a');
    h.watcher.nodes.set('node-a', { ...h.watcher.nodes.get('node-a')!, uid: 'uid-node-a-2' });
    const pass = await h.client.request(endpoints.reconcileTrigger, {});
    assert.deepEqual(
      pass.cleared.map((c) => [c.volumeId, c.nodeId, c.reason]),
      [[VOL_A, 'node-a', 'node-missing']],
    );
    const republished = await h.publish(VOL_A, 'node-a');
    assert.equal(republished.nodes[0]?.nodeUid, 'uid-node-a-2');
  });
});
