import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, type KubeObject } from '@rds-csi/testkit';
import { STALE_CLEARED_REASON } from '../src/index.js';
import { Harness, VOLUMES, metricValue, withKubernetes } from './harness.js';

const [VOL_A, VOL_B, VOL_C] = VOLUMES;

interface EventShape {
  reason?: string;
  type?: string;
  message?: string;
  metadata: { namespace?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

describe('Kubernetes Events about cleared attachments', () => {
  const k8s = withKubernetes({ token: 'reconciler-token' });

  it('posts an Event on the PV and its claim, and clears even when posting fails', async (t) => {
    const h = await Harness.create(k8s.nats);
    t.after(() => h.close());
    const pv = k8s.kube.addPersistentVolume(VOL_A, {
      claim: { namespace: 'apps', name: 'data', uid: 'claim-uid-1' },
    });
    const kubeconfigPath = await k8s.kubeconfig();
    h.watcher.ready('node-a', 'node-b');
    const { bus } = await h.startReady({ kubernetes: { kubeconfigPath, eventNamespace: 'default' } });
    await h.publish(VOL_A, 'node-a');
    await h.publish(VOL_B, 'node-a');

    await h.nodeEvent('deleted', 'node-a');
    await waitFor(() => k8s.kube.events().length === 3, { message: 'events posted' });
    const events = k8s.kube.events() as (KubeObject & EventShape)[];
    const about = (kind: string, name: string) =>
      events.filter((e) => e.involvedObject?.kind === kind && e.involvedObject.name === name);
    const [onPv] = about('PersistentVolume', VOL_A);
    assert.equal(onPv?.reason, STALE_CLEARED_REASON);
    assert.equal(onPv?.type, 'Warning');
    assert.equal(onPv?.metadata.namespace, 'default');
    assert.equal(onPv?.involvedObject?.uid, pv.metadata.uid);
    assert.match(onPv?.message ?? '', /node-a.*node-deleted/);
    const [onClaim] = about('PersistentVolumeClaim', 'data');
    assert.equal(onClaim?.metadata.namespace, 'apps');
    assert.equal(onClaim?.involvedObject?.uid, 'claim-uid-1');
    assert.equal(
      about('PersistentVolume', VOL_B).length,
      1,
      'a PV the API does not know still gets its Event',
    );
    // The API server holds the Event before the reconciler has read its answer: wait for the count, not assume it.
    await waitFor(
      async () =>
        (await metricValue(bus, 'rdscsi_reconciler_kube_events_total', { outcome: 'posted' })) === 3,
      { message: 'posts counted' },
    );

    // An unreachable API server costs the Event, never the clearance.
    await h.publish(VOL_C, 'node-b');
    await k8s.kube.close();
    await h.nodeEvent('deleted', 'node-b');
    await waitFor(async () => (await h.nodesOf(VOL_C)).length === 0, {
      message: 'cleared without the API server',
    });
    await waitFor(
      async () =>
        (await metricValue(bus, 'rdscsi_reconciler_kube_events_total', { outcome: 'failed' })) === 1,
      {
        message: 'failure counted',
      },
    );
  });
});
