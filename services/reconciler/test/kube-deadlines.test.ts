import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handle, startService } from '@rds-csi/bus';
import { connectTestBus } from '@rds-csi/bus/testing';
import { endpoints } from '@rds-csi/contracts';
import { Registry, silentLogger } from '@rds-csi/observability';
import { FakeKubeApi, rejectionOf, startNatsServer, waitFor } from '@rds-csi/testkit';
import { kubeClearanceEvents } from '../src/kube-events.js';
import { reconcilerMetrics } from '../src/metrics.js';
import { OrphanReporter } from '../src/orphan-report.js';
import { VOLUMES } from './harness.js';

const [VOL_A] = VOLUMES;

describe('Kubernetes calls outside adoption have deadlines', () => {
  it('gives up on Event calls the API server never answers: counted as failed, and drain returns', async (t) => {
    const kube = await FakeKubeApi.start();
    t.after(() => kube.close());
    const registry = new Registry();
    const metrics = reconcilerMetrics(registry);
    const events = kubeClearanceEvents(kube.kubeConfig(), {
      eventNamespace: 'default',
      logger: silentLogger(),
      metrics,
      callTimeoutMs: 200,
    });
    kube.setHanging(true);
    events.announce({ volumeId: VOL_A, nodeId: 'node-a', reason: 'node-deleted', why: 'deleted' });
    const failed = async () =>
      (await metrics.kubeEvents.get()).values.find((v) => v.labels.outcome === 'failed')?.value ?? 0;
    await waitFor(async () => (await failed()) === 1, { message: 'the hung post counted as failed' });
    await events.drain(60_000);
    assert.equal(kube.events().length, 0);
  });

  it('answers an orphan report UNAVAILABLE when the PV list never answers, within the report deadline', async (t) => {
    const [nats, kube] = await Promise.all([startNatsServer(), FakeKubeApi.start()]);
    t.after(async () => {
      await kube.close();
      await nats.dispose();
    });
    const connector = await connectTestBus(nats.url, 'fake-rds-connector');
    const client = await connectTestBus(nats.url, 'reconciler');
    const service = await startService(
      connector,
      { name: 'rds-connector', version: 'test', description: 'volume list' },
      [handle(endpoints.volumeList, async () => ({ volumes: [] }))],
    );
    t.after(async () => {
      await service.stop();
      await Promise.all([connector.close(), client.close()]);
    });
    const reporter = new OrphanReporter({
      bus: client,
      kubeConfig: kube.kubeConfig(),
      driverName: 'rds.csi.srvlab.io',
      graceMs: 0,
      logger: silentLogger(),
      metrics: reconcilerMetrics(new Registry()),
    });
    kube.setHanging(true);
    const err = await rejectionOf(() => reporter.report(Date.now() + 500));
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /cannot list PersistentVolumes/);
  });
});
