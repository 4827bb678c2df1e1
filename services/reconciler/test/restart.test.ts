import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, VOLUMES, metricValue } from './harness.js';

const [VOL_A, VOL_B, VOL_C] = VOLUMES;

describe('restarts and outages', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats?.dispose();
  });

  it('clears nothing and serves no publish while the node list is unavailable at start, retrying until it is', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const first = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await first.stop();

    h.watcher.nodes.delete('node-a');
    h.watcher.synced = false;
    const requestsBefore = h.watcher.requests;
    const { bus, reconciler } = await h.startReconciler();
    await waitFor(() => h.watcher.requests >= requestsBefore + 3, { message: 'start-up pass retried' });
    assert.equal((await rejectionOf(() => h.publish(VOL_B, 'node-b'))).code, 'UNAVAILABLE');
    assert.equal((await rejectionOf(() => h.unpublish(VOL_A, 'node-a'))).code, 'UNAVAILABLE');
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'nothing cleared; reads are served');
    assert.equal(reconciler.readiness().ready, false);
    assert.ok(
      (await metricValue(bus, 'rdscsi_reconciler_passes_total', {
        trigger: 'startup',
        outcome: 'unavailable',
      })) >= 3,
    );

    h.watcher.synced = true;
    await reconciler.whenReady();
    assert.deepEqual(await h.nodesOf(VOL_A), [], 'the start-up pass cleared the node that is gone');
    assert.deepEqual(
      (await h.publish(VOL_A, 'node-b')).nodes.map((n) => n.nodeId),
      ['node-b'],
    );
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-missing' }),
      1,
    );
  });

  it('keeps state across a restart, clears what changed while it was down and gets the events published meanwhile', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c');
    const first = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.publish(VOL_B, 'node-b');
    await h.publish(VOL_C, 'node-c');
    await first.stop();

    // While it is down: node-a disappears (the start-up pass sees that); node-b's deletion is only known from its
    // event, since the node list still shows it.
    h.watcher.nodes.delete('node-a');
    await h.nodeEvent('deleted', 'node-b');

    const { bus } = await h.startReady();
    assert.deepEqual(await h.nodesOf(VOL_A), []);
    await waitFor(async () => (await h.nodesOf(VOL_B)).length === 0, {
      message: 'event published while down was delivered',
    });
    assert.deepEqual(await h.nodesOf(VOL_C), ['node-c'], 'state intact');
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-missing' }),
      1,
    );
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-deleted' }),
      1,
    );
    assert.equal(
      (await rejectionOf(() => h.publish(VOL_C, 'node-b'))).code,
      'FAILED_PRECONDITION',
      'fencing survives the restart',
    );
  });

  it('picks up a NotReady node whose grace ends after a restart', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const first = await h.startReady({ notReadyGraceMs: 2_000 });
    await h.publish(VOL_A, 'node-a');
    await first.stop();
    // The not-ready event was consumed by nobody's timer: the start-up pass finds the node inside its grace.
    h.watcher.notReady('node-a', new Date());
    const { reconciler } = await h.startReady({ notReadyGraceMs: 2_000 });
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      message: 'cleared when the grace ended',
    });
    assert.deepEqual(reconciler.pendingNotReady(), []);
  });

  // Last: it restarts the shared nats-server.
  it('recovers from a NATS restart mid-run', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { reconciler } = await h.startReady();
    await h.publish(VOL_A, 'node-a');

    await nats.restart();
    await waitFor(() => h.client.isConnected() && reconciler.readiness().ready, {
      message: 'connected and ready again',
    });
    await waitFor(() => h.publish(VOL_B, 'node-b'), {
      timeoutMs: 30_000,
      message: 'publish after the NATS restart',
    });
    await waitFor(() => h.nodeEvent('deleted', 'node-a').then(() => true), {
      timeoutMs: 30_000,
      message: 'event published after restart',
    });
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      timeoutMs: 30_000,
      message: 'event consumed after restart',
    });
    // The stand-in node-watcher reconnects on its own schedule; until then a pass is UNAVAILABLE.
    const report = await waitFor(() => h.client.request(endpoints.reconcileTrigger, {}), {
      message: 'pass after restart',
    });
    assert.equal(report.checked, 1);
    assert.deepEqual(await h.nodesOf(VOL_B), ['node-b']);
  });
});
