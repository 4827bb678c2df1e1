import { it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeApi, waitFor } from '@rds-csi/testkit';
import { NodeInformer, type RestartReason } from '../src/informer.js';

it('restarts a node list the API server never answers (list-error), and syncs once it answers again', async (t) => {
  const kube = await FakeKubeApi.start();
  t.after(() => kube.close());
  kube.addNode('node-a');
  const restarts: RestartReason[] = [];
  let synced = 0;
  const informer = new NodeInformer(
    kube.kubeConfig(),
    { silentWatchMs: 30_000, backoff: { minMs: 10, maxMs: 50 }, listPageTimeoutMs: 200 },
    {
      upsert: () => undefined,
      remove: () => undefined,
      synced: () => (synced += 1),
      activity: () => undefined,
      restarted: (reason) => restarts.push(reason),
    },
  );
  t.after(() => informer.stop());
  kube.setHanging(true);
  informer.start();
  await waitFor(() => restarts.filter((r) => r === 'list-error').length >= 2, {
    message: 'hung lists restarted',
  });
  assert.equal(synced, 0);
  kube.setHanging(false);
  await waitFor(() => synced > 0, { message: 'synced after the API server answers again' });
});
