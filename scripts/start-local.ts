/**
 * `npm start`: the whole rds-csi stack on this machine, on embedded defaults. It starts a nats-server (unless
 * NATS_URL points at one), the RouterOS simulator (a real SSH server) and a fake Kubernetes API with three nodes,
 * then each service as its own process, exactly as they run in a cluster, and shows them working through the CSI
 * socket. State lives in .local/ (delete it to start over). Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createCsiClient } from '@rds-csi/csi-spec';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { FakeKubeApi, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';

const root = resolve(import.meta.dirname, '..');
const local = join(root, '.local');
const socket = join(local, 'csi-controller.sock');
const NODES = ['local-node-a', 'local-node-b', 'local-node-c'];
const children: ChildProcess[] = [];

function startService(name: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')], {
    env: { ...process.env, ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name.padEnd(13)}] ${summarise(line)}`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`[${name}] exited (${signal ?? code})`);
  });
  children.push(child);
}

/** Service logs are JSON for machines; the console shows level, message and the interesting fields. */
function summarise(line: string): string {
  try {
    const { level, msg, time: _t, pid: _p, hostname: _h, service: _s, name: _n, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const label = ({ 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' } as Record<string, string>)[String(level)] ?? level;
    const fields = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${label} ${msg}${fields}`.slice(0, 400);
  } catch {
    return line;
  }
}

let stopping = false;
let nats: NatsServerHandle | undefined;
let sim: RdsSimulator | undefined;
let kube: FakeKubeApi | undefined;

async function stopAll(): Promise<void> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await kube?.close();
  await sim?.stop();
  await nats?.dispose();
}

async function main(): Promise<void> {
  await mkdir(local, { recursive: true });
  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    nats = await startNatsServer();
    natsUrl = nats.url;
  }
  const keys = generateKeyPair();
  const keyFile = join(local, 'rds_id_ed25519');
  await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
  sim = await RdsSimulator.start({ dataDir: join(local, 'rds'), authorizedKeys: [keys.publicKey], latencyMs: 5 });
  kube = await FakeKubeApi.start();
  for (const node of NODES) kube.addNode(node);
  const kubeconfig = await kube.writeKubeconfig(join(local, 'kubeconfig'));
  console.log(`nats ${natsUrl} | RDS simulator ssh://127.0.0.1:${sim.port} (${sim.hostKeyFingerprint}) | fake Kubernetes API with ${NODES.join(', ')}`);

  const common = { NATS_URL: natsUrl, KUBECONFIG: kubeconfig };
  startService('rds-connector', {
    ...common,
    RDS_ADDRESS: '127.0.0.1',
    RDS_SSH_PORT: String(sim.port),
    RDS_SSH_KEY_FILE: keyFile,
    RDS_HOST_KEY: sim.hostKeyFingerprint,
    METRICS_PORT: '9810',
  });
  startService('node-watcher', { ...common, METRICS_PORT: '9812' });
  startService('reconciler', { ...common, METRICS_PORT: '9813' });
  startService('csi-gateway', {
    ...common,
    CSI_MODE: 'controller',
    CSI_ENDPOINT: `unix://${socket}`,
    CSI_RDS_ADDRESS: '127.0.0.1',
    METRICS_PORT: '9811',
  });
  await demo(natsUrl);
}

/** Shows the stack working: Probe, CreateVolume, ControllerPublish, fencing, then leaves it running. */
async function demo(natsUrl: string): Promise<void> {
  const csi = createCsiClient(`unix://${socket}`);
  try {
    await waitFor(async () => (await csi.identity.Probe({})).ready?.value === true, { timeoutMs: 60_000, message: 'CSI Probe ready' });
    const info = await csi.identity.GetPluginInfo({});
    const name = `pvc-${randomUUID()}`;
    const created = await csi.controller.CreateVolume({
      name,
      capacity_range: { required_bytes: 1024 ** 3 },
      volume_capabilities: [{ mount: { fs_type: 'ext4' }, access_mode: { mode: 'SINGLE_NODE_WRITER' } }],
    });
    const volume = created.volume;
    const published = await waitFor(
      () =>
        csi.controller.ControllerPublishVolume({
          volume_id: volume?.volume_id ?? name,
          node_id: NODES[0],
          volume_capability: { mount: { fs_type: 'ext4' }, access_mode: { mode: 'SINGLE_NODE_WRITER' } },
          volume_context: volume?.volume_context ?? {},
        }),
      { timeoutMs: 60_000, intervalMs: 1000, message: 'ControllerPublishVolume (waits for the reconciler start-up pass)' },
    );
    const fenced = await csi.controller
      .ControllerPublishVolume({
        volume_id: volume?.volume_id ?? name,
        node_id: NODES[1],
        volume_capability: { mount: { fs_type: 'ext4' }, access_mode: { mode: 'SINGLE_NODE_WRITER' } },
        volume_context: volume?.volume_context ?? {},
      })
      .then(
        () => 'accepted (unexpected!)',
        (err: { details?: string; code?: number }) => `refused: code ${err.code} ${err.details}`,
      );
    console.log(`
==> rds-csi is running (${info.name} ${info.vendor_version})
    CreateVolume      ${volume?.volume_id} ${volume?.capacity_bytes} bytes, context ${JSON.stringify(volume?.volume_context)}
    ControllerPublish ${NODES[0]}: ${JSON.stringify(published.publish_context)}
    ControllerPublish ${NODES[1]} while attached to ${NODES[0]}: ${fenced}

Try it (nats CLI, if installed):
    nats -s ${natsUrl} micro ls
    nats -s ${natsUrl} req rdscsi.attach.list '{}'
    nats -s ${natsUrl} req rdscsi.reconcile.trigger '{"dryRun":true}'
    nats -s ${natsUrl} kv ls rdscsi_attachments
CSI socket: unix://${socket}    metrics: http://127.0.0.1:981{0,1,2,3}/metrics
Ctrl-C stops the stack.`);
  } finally {
    csi.close();
  }
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));
main()
  .then(async () => {
    // `npm start -- --once` shows the demo and stops: a smoke test of the whole stack.
    if (process.argv.includes('--once')) {
      await stopAll();
      process.exit(0);
    }
  })
  .catch(async (err: unknown) => {
  console.error('local stack failed:', err);
  await stopAll();
  process.exit(1);
});
