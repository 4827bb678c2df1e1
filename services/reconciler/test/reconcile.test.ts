import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, TEST_CONFIG, VOLUMES, metricValue } from './harness.js';

const [VOL_A, VOL_B, VOL_C] = VOLUMES;
const GRACE_MS = Number(TEST_CONFIG.notReadyGraceMs);

const handled = (bus: Parameters<typeof metricValue>[0], kind: string) =>
  metricValue(bus, 'rdscsi_reconciler_node_events_total', { kind, outcome: 'handled' });

describe('stale attachment clearance', () => {
  let nats: NatsServerHandle;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats?.dispose();
  });

  it('clears a deleted node at once, so the volume can be published elsewhere right after', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.publish(VOL_B, 'node-a', { access: 'multi-node', volumeMode: 'block' });
    await h.publish(VOL_B, 'node-b', { access: 'multi-node', volumeMode: 'block' });
    await h.publish(VOL_C, 'node-b');
    assert.equal((await rejectionOf(() => h.publish(VOL_A, 'node-b'))).code, 'FAILED_PRECONDITION');

    await h.nodeEvent('deleted', 'node-a');
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, { message: 'node-a cleared' });
    assert.deepEqual(
      (await h.publish(VOL_A, 'node-b')).nodes.map((n) => n.nodeId),
      ['node-b'],
    );
    assert.deepEqual(await h.nodesOf(VOL_B), ['node-b'], 'the other node of a pair keeps its attachment');
    assert.deepEqual(await h.nodesOf(VOL_C), ['node-b']);
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-deleted' }),
      2,
    );
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_event_to_clearance_seconds_count', {
        reason: 'node-deleted',
      }),
      2,
    );
  });

  it('clears a node tainted out-of-service at once', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.nodeEvent('out-of-service', 'node-a');
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, { message: 'node-a cleared' });
    await h.publish(VOL_A, 'node-b');
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-out-of-service' }),
      1,
    );
  });

  it('never lets an event clear an attachment made after it (a replayed or late event)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.nodeEvent('deleted', 'node-a', { at: new Date(Date.now() - 3_600_000).toISOString() });
    await waitFor(async () => (await handled(bus, 'deleted')) === 1, { message: 'event handled' });
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a']);
  });

  it('keeps everything when a node is NotReady shorter than the grace (Ready event)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    // A longer grace than the other tests: the Ready event must be handled inside it, even on a loaded machine.
    const graceMs = 3 * GRACE_MS;
    const { bus, reconciler } = await h.startReady({ notReadyGraceMs: graceMs });
    await h.publish(VOL_A, 'node-a');
    const since = new Date();
    h.watcher.notReady('node-a', since);
    await h.nodeEvent('not-ready', 'node-a', { notReadySince: since.toISOString() });
    await waitFor(() => reconciler.pendingNotReady().includes('node-a'), { message: 're-check scheduled' });
    h.watcher.ready('node-a');
    await h.nodeEvent('ready', 'node-a');
    // The Ready event cancels nothing (a replayed one must not): the re-check runs and finds the node Ready.
    await waitFor(
      async () => (await metricValue(bus, 'rdscsi_reconciler_passes_total', { trigger: 'node-event' })) === 1,
      { message: 're-check pass ran' },
    );
    assert.deepEqual(reconciler.pendingNotReady(), []);
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a']);
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total'), 0);
  });

  it('keeps everything when the node recovered by the end of the grace even if the Ready event is lost (kubelet restart)', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    // The kubelet went down and came back; only the NotReady event made it to the stream.
    await h.nodeEvent('not-ready', 'node-a', { notReadySince: new Date().toISOString() });
    await waitFor(async () => (await handled(bus, 'not-ready')) === 1, { message: 'event handled' });
    await waitFor(
      async () =>
        (await metricValue(bus, 'rdscsi_reconciler_passes_total', {
          trigger: 'node-event',
          outcome: 'ok',
        })) === 1,
      {
        message: 'the re-check pass ran',
      },
    );
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a']);
  });

  it('clears a node still NotReady after the grace, not before', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    const since = new Date();
    h.watcher.notReady('node-a', since);
    await h.nodeEvent('not-ready', 'node-a', { notReadySince: since.toISOString() });
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      message: 'node-a cleared after the grace',
    });
    assert.ok(Date.now() >= since.getTime() + GRACE_MS, 'not cleared inside the grace');
    await h.publish(VOL_A, 'node-b');
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total', { reason: 'node-not-ready' }),
      1,
    );
    assert.equal(
      await metricValue(bus, 'rdscsi_reconciler_event_to_clearance_seconds_count', {
        reason: 'node-not-ready',
      }),
      1,
    );
  });

  it('reports on a manual trigger, and a dry run clears nothing', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b', 'node-c');
    await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.publish(VOL_B, 'node-b');
    await h.publish(VOL_C, 'node-c');
    h.watcher.nodes.delete('node-a');
    h.watcher.notReady('node-b', new Date(Date.now() - 60_000));
    h.watcher.notReady('node-c', new Date());

    const dry = await h.client.request(endpoints.reconcileTrigger, { dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.trigger, 'manual');
    assert.equal(dry.checked, 3);
    assert.deepEqual(dry.cleared.map((c) => [c.volumeId, c.nodeId, c.reason]).sort(), [
      [VOL_A, 'node-a', 'node-missing'],
      [VOL_B, 'node-b', 'node-not-ready'],
    ]);
    assert.deepEqual(
      dry.skipped.map((s) => [s.volumeId, s.nodeId]),
      [[VOL_C, 'node-c']],
    );
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'dry run cleared nothing');

    const real = await h.client.request(endpoints.reconcileTrigger, {});
    assert.equal(real.dryRun, false);
    assert.deepEqual(real.cleared.map((c) => c.volumeId).sort(), [VOL_A, VOL_B]);
    assert.deepEqual(await h.nodesOf(VOL_A), []);
    assert.deepEqual(await h.nodesOf(VOL_C), ['node-c']);
    const again = await h.client.request(endpoints.reconcileTrigger, {});
    assert.deepEqual(again.cleared, [], 'nothing left to clear');
  });

  it('coalesces concurrent triggers into exactly one extra pass, clearing once', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    await h.publish(VOL_B, 'node-a');
    h.watcher.nodes.delete('node-a');
    const requestsBefore = h.watcher.requests;

    const release = h.watcher.hold();
    const first = h.client.request(endpoints.reconcileTrigger, {});
    await waitFor(() => h.watcher.requests === requestsBefore + 1, {
      message: 'first pass asked for the node list',
    });
    const during = [
      h.client.request(endpoints.reconcileTrigger, {}),
      h.client.request(endpoints.reconcileTrigger, {}),
    ];
    // NATS keeps one connection's messages in order: once this answer arrives, both triggers reached the reconciler.
    await h.client.request(endpoints.attachList, {});
    assert.equal(h.watcher.requests, requestsBefore + 1, 'still one pass while the first runs');
    release();
    const firstReport = await first;
    const [second, third] = await Promise.all(during);
    assert.equal(h.watcher.requests, requestsBefore + 2, 'exactly one extra pass');
    assert.deepEqual(second, third, 'both waiting callers got the same later pass');
    assert.ok(Date.parse(second!.startedAt) >= Date.parse(firstReport.startedAt));
    assert.equal(firstReport.cleared.length, 2);
    assert.equal(second!.cleared.length, 0, 'no double clear');
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_stale_cleared_total'), 2);
    assert.equal(await metricValue(bus, 'rdscsi_reconciler_passes_total', { trigger: 'manual' }), 2);
  });

  it('runs periodic passes as a safety net', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady({ periodMs: 300 });
    await h.publish(VOL_A, 'node-a');
    h.watcher.nodes.delete('node-a');
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      message: 'periodic pass cleared node-a',
    });
    assert.ok(
      (await metricValue(bus, 'rdscsi_reconciler_passes_total', { trigger: 'periodic', outcome: 'ok' })) >= 1,
    );
  });

  it('ignores malformed node events, counting them, and keeps consuming', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady();
    await h.publish(VOL_A, 'node-a');
    const subject = h.client.names.nodeEvent('deleted', 'node-a');
    const encode = (value: unknown) =>
      new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    await h.rawEvent(subject, encode('garbage'));
    await h.rawEvent(subject, encode({ v: 1, kind: 'deleted', node: 'node-a' }));
    await h.rawEvent(
      subject,
      encode({ v: 2, kind: 'deleted', node: 'node-a', at: new Date().toISOString() }),
    );
    await h.rawEvent(
      subject,
      encode({ v: 1, kind: 'exploded', node: 'node-a', at: new Date().toISOString() }),
    );
    await h.rawEvent(
      h.client.names.nodeEvent('deleted', 'node-b'),
      encode({ v: 1, kind: 'deleted', node: 'node-a', at: new Date().toISOString() }),
    );
    await waitFor(
      async () =>
        (await metricValue(bus, 'rdscsi_reconciler_node_events_total', { outcome: 'malformed' })) === 5,
      {
        message: 'malformed events counted',
      },
    );
    assert.deepEqual(await h.nodesOf(VOL_A), ['node-a'], 'no malformed event cleared anything');
    await h.nodeEvent('deleted', 'node-a');
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, {
      message: 'a good event is still handled',
    });
  });

  it('re-creates its durable consumer when an operator deletes it', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a', 'node-b');
    await h.startReady();
    await h.publish(VOL_A, 'node-a');
    const jsm = await jetstreamManager(h.client.nc);
    await jsm.consumers.delete(h.client.names.nodeEventsStream, 'reconciler');
    await waitFor(() => jsm.consumers.info(h.client.names.nodeEventsStream, 'reconciler'), {
      message: 'consumer re-created',
    });
    await h.nodeEvent('deleted', 'node-a');
    await waitFor(async () => (await h.nodesOf(VOL_A)).length === 0, { message: 'events consumed again' });
  });

  it('serves /readyz and /metrics once the start-up pass completed', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.synced = false;
    const { reconciler } = await h.startReconciler({ metricsPort: 0 });
    const base = `http://127.0.0.1:${reconciler.healthPort}`;
    const notReady = await fetch(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(((await notReady.json()) as { reason: string }).reason, /start-up/);
    h.watcher.ready('node-a');
    h.watcher.synced = true;
    await reconciler.whenReady();
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /rdscsi_reconciler_passes_total\{[^}]*trigger="startup"[^}]*outcome="ok"/);
    assert.match(metrics, /rdscsi_reconciler_attachments\{[^}]*access="single-node"/);
  });
});
