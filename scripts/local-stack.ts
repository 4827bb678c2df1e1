/**
 * The whole rds-csi stack on this machine, on embedded defaults: a nats-server (unless NATS_URL points at one), the
 * RouterOS simulator (a real SSH server), a fake Kubernetes API with a few nodes, and each service as its own
 * process, exactly as they run in a cluster. State lives in .local/ (delete it to start over).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createCsiClient, type CsiClient } from '@rds-csi/csi-spec';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { FakeKubeApi, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';

const root = resolve(import.meta.dirname, '..');
export const LOCAL_DIR = join(root, '.local');

export interface LocalStackOptions {
  nodes: string[];
  /** Extra environment for every service (e.g. a short NotReady grace for the demo). */
  env?: Record<string, string>;
  /** Prints each service log line (default true). */
  showLogs?: boolean;
  /** State directory (default .local/). */
  dir?: string;
  /** RDS simulator time per command (default 5 ms). */
  latencyMs?: number;
  /** Runs the built bundles (services/<name>/dist/main.js) as deploy/entrypoint.sh does, instead of tsx. */
  bundles?: { sourceMaps: boolean };
  /** Each service's metrics port (default METRICS_PORTS). */
  metricsPorts?: Partial<Record<LocalService, number>>;
}

export type LocalService = 'rds-connector' | 'csi-gateway' | 'node-watcher' | 'reconciler';
/** The services' own default metrics ports (docs/operations.md). */
export const METRICS_PORTS: Record<LocalService, number> = {
  'rds-connector': 9810,
  'csi-gateway': 9811,
  'node-watcher': 9812,
  reconciler: 9813,
};

export interface LocalStack {
  natsUrl: string;
  socket: string;
  sim: RdsSimulator;
  kube: FakeKubeApi;
  csi: CsiClient;
  /** Process ID of each service, by name. */
  pids: Record<string, number>;
  /** Stops one service (SIGTERM, waits for its exit) and starts it again with its environment plus `env`. */
  restart(name: string, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** Service logs are JSON for machines; the console shows level, message and the interesting fields. */
function summarise(line: string): string {
  try {
    const {
      level,
      msg,
      time: _t,
      pid: _p,
      hostname: _h,
      service: _s,
      name: _n,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const label =
      ({ 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' } as Record<string, string>)[
        String(level)
      ] ?? level;
    const fields = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${String(label)} ${String(msg)}${fields}`.slice(0, 400);
  } catch {
    return line;
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dir = options.dir ?? LOCAL_DIR;
  const metricsPort = (service: LocalService) =>
    String(options.metricsPorts?.[service] ?? METRICS_PORTS[service]);
  const children: ChildProcess[] = [];
  const pids: Record<string, number> = {};
  let stopping = false;
  let nats: NatsServerHandle | undefined;
  let sim: RdsSimulator | undefined;
  let kube: FakeKubeApi | undefined;
  const stop = async (): Promise<void> => {
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
    );
    await kube?.close();
    await sim?.stop();
    await nats?.dispose();
  };
  const envOf = new Map<string, Record<string, string>>();
  const restart = async (name: string, env: Record<string, string> = {}): Promise<void> => {
    const child = children.find((c) => c.pid === pids[name]);
    if (!child) throw new Error(`no service ${name}`);
    children.splice(children.indexOf(child), 1);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    startService(name, { ...envOf.get(name), ...env });
  };
  const startService = (name: string, env: Record<string, string>): void => {
    envOf.set(name, env);
    const child = spawn(
      process.execPath,
      options.bundles
        ? [
            ...(options.bundles.sourceMaps ? ['--enable-source-maps'] : []),
            join(root, 'services', name, 'dist', 'main.js'),
          ]
        : ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')],
      {
        env: { ...process.env, ...options.env, ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (options.showLogs ?? true) console.log(`[${name.padEnd(13)}] ${summarise(line)}`);
      });
    }
    child.on('exit', (code, signal) => {
      if (!stopping && children.includes(child)) console.error(`[${name}] exited (${signal ?? code})`);
    });
    children.push(child);
    if (child.pid) pids[name] = child.pid;
  };

  try {
    await mkdir(dir, { recursive: true });
    let natsUrl = process.env.NATS_URL;
    if (!natsUrl) {
      nats = await startNatsServer();
      natsUrl = nats.url;
    }
    // Tools (npm run req) find the local NATS here.
    await writeFile(join(dir, 'nats.url'), natsUrl);
    const keys = generateKeyPair();
    const keyFile = join(dir, 'rds_id_ed25519');
    await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
    sim = await RdsSimulator.start({
      dataDir: join(dir, 'rds'),
      authorizedKeys: [keys.publicKey],
      latencyMs: options.latencyMs ?? 5,
    });
    kube = await FakeKubeApi.start();
    for (const node of options.nodes) kube.addNode(node);
    const kubeconfig = await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    const socket = join(dir, 'csi-controller.sock');
    const common = { NATS_URL: natsUrl, KUBECONFIG: kubeconfig };
    startService('rds-connector', {
      ...common,
      RDS_ADDRESS: '127.0.0.1',
      RDS_SSH_PORT: String(sim.port),
      RDS_SSH_KEY_FILE: keyFile,
      RDS_HOST_KEY: sim.hostKeyFingerprint,
      METRICS_PORT: metricsPort('rds-connector'),
    });
    startService('node-watcher', { ...common, METRICS_PORT: metricsPort('node-watcher') });
    startService('reconciler', { ...common, METRICS_PORT: metricsPort('reconciler') });
    startService('csi-gateway', {
      ...common,
      CSI_MODE: 'controller',
      CSI_ENDPOINT: `unix://${socket}`,
      METRICS_PORT: metricsPort('csi-gateway'),
    });
    const csi = createCsiClient(`unix://${socket}`);
    await waitFor(async () => (await csi.identity.Probe({})).ready?.value === true, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: 'CSI Probe ready',
    });
    const stack = { natsUrl, socket, sim, kube, csi, pids, restart };
    return { ...stack, stop: async () => (csi.close(), stop()) };
  } catch (err) {
    await stop();
    throw err;
  }
}
