/**
 * `npm run demo`: replays the incident rds-csi exists for, on the local stack. A volume is published to node A; the
 * RDS crashes and node A dies with it; the external-attacher keeps asking to publish the volume to node B. The old
 * driver refused until a human cleaned up. Here the reconciler clears node A's stale attachment once A has been
 * NotReady for the grace period, and the next publish to B succeeds. Prints a timeline.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@rds-csi/testkit';
import { GiB, blockCapability, createVolume, publish as publishVolume } from '@rds-csi/e2e/volumes';
import { LOCAL_DIR, startLocalStack } from './local-stack.js';

const GRACE_SECONDS = 10;
const [NODE_A, NODE_B] = ['node-a', 'node-b'] as const;
const began = Date.now();
const at = () => `t+${((Date.now() - began) / 1000).toFixed(1).padStart(5)}s`;
const say = (line: string) => console.log(`${at()}  ${line}`);

// Its own state, fresh each run: the replay starts from no volume and no attachment.
const stack = await startLocalStack({
  dir: join(LOCAL_DIR, 'demo'),
  reset: true,
  nodes: [NODE_A, NODE_B],
  env: { RECONCILER_NOT_READY_GRACE_SECONDS: String(GRACE_SECONDS) },
  showLogs: process.argv.includes('--logs'),
});
try {
  const { csi, kube, sim } = stack;
  say('stack up: nats-server, RDS simulator, fake Kubernetes API (node-a, node-b), 4 services');
  const volume = await createVolume(csi, GiB, blockCapability());
  say(`CreateVolume ${volume.volume_id}`);
  const publish = (node: string) => publishVolume(csi, volume, node, blockCapability());
  await waitFor(() => publish(NODE_A), { timeoutMs: 60_000, intervalMs: 500 });
  say(`ControllerPublish to ${NODE_A}: OK (the pod runs on ${NODE_A})`);

  say(`the RDS crashes and restarts; ${NODE_A} goes down with it (kubelet stops reporting: NotReady)`);
  const lostAt = Date.now();
  kube.setReady(NODE_A, false);
  await sim.restart();

  let attempts = 0;
  for (;;) {
    attempts++;
    const outcome = await publish(NODE_B).then(
      () => 'ok',
      (err: { code?: number; details?: string }) => `code ${err.code}: ${err.details}`,
    );
    if (outcome === 'ok') break;
    say(`external-attacher: publish to ${NODE_B} refused (${outcome.slice(0, 110)}...)`);
    await sleep(2000);
  }
  const recoveredS = ((Date.now() - lostAt) / 1000).toFixed(1);
  say(
    `ControllerPublish to ${NODE_B}: OK after ${attempts} attempts, ${recoveredS} s after ${NODE_A} was lost`,
  );
  const events = kube
    .events()
    .map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`);
  for (const event of events) say(`Kubernetes Event on the PV: ${event}`);
  console.log(`
No human touched anything: ${NODE_A}'s attachment was cleared as stale after ${GRACE_SECONDS} s NotReady (grace,
RECONCILER_NOT_READY_GRACE_SECONDS; 30 s by default so a kubelet restart never triggers it). In the original
incident this step was manual and turned a 3-hour outage into 5+ hours.`);
} finally {
  await stack.stop();
}
