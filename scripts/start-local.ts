/**
 * `npm start`: the whole stack locally (see local-stack.ts), then a CSI walk-through through the gateway's socket.
 * `npm start -- --once` stops after the walk-through (a smoke test); otherwise Ctrl-C stops everything.
 */
import { waitFor } from '@rds-csi/testkit';
import { GiB, createVolume, fsCapability, publish as publishVolume } from '@rds-csi/e2e/volumes';
import { startLocalStack, type LocalStack } from './local-stack.js';

const NODES = ['local-node-a', 'local-node-b', 'local-node-c'];

async function walkThrough(stack: LocalStack): Promise<void> {
  const { csi } = stack;
  const info = await csi.identity.GetPluginInfo({});
  const volume = await createVolume(csi, GiB, fsCapability());
  const publish = (node: string) => publishVolume(csi, volume, node, fsCapability());
  // The reconciler serves publish only after its start-up reconciliation; until then it answers UNAVAILABLE.
  const published = await waitFor(() => publish(NODES[0] as string), {
    timeoutMs: 60_000,
    intervalMs: 1000,
    message: 'first publish',
  });
  const fenced = await publish(NODES[1] as string).then(
    () => 'accepted (unexpected!)',
    (err: { details?: string; code?: number }) => `refused with gRPC code ${err.code}: ${err.details}`,
  );
  console.log(`
==> rds-csi is running (${info.name} ${info.vendor_version})
    CreateVolume      ${volume.volume_id}: ${volume.capacity_bytes} bytes
                      context ${JSON.stringify(volume.volume_context)}
    ControllerPublish ${NODES[0]}: ${JSON.stringify(published.publish_context)}
    ControllerPublish ${NODES[1]} while attached to ${NODES[0]}: ${fenced}

Try it (with the nats CLI):
    nats -s ${stack.natsUrl} micro ls
    nats -s ${stack.natsUrl} req rdscsi.attach.list '{}'
    nats -s ${stack.natsUrl} req rdscsi.reconcile.trigger '{"dryRun":true}'
    nats -s ${stack.natsUrl} kv ls rdscsi_attachments
CSI socket: unix://${stack.socket}    metrics: http://127.0.0.1:9810..9813/metrics
npm run demo replays the incident this driver exists for. Ctrl-C stops the stack.`);
}

const stack = await startLocalStack({ nodes: NODES });
const shutdown = () => void stack.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
try {
  await walkThrough(stack);
} catch (err) {
  console.error('walk-through failed:', err);
  await stack.stop();
  process.exit(1);
}
if (process.argv.includes('--once')) {
  await stack.stop();
  process.exit(0);
}
