/**
 * The whole rds-csi stack on this machine: a nats-server (unless NATS_URL points at one), the RouterOS simulator (a
 * real SSH server), a fake Kubernetes API with a few nodes, and each service as its own process, exactly as they run
 * in a cluster. State lives in .local/: the simulator's disks and the NATS store (attachments, snapshot lineage) are
 * kept or reset together (`reset`), so volumes never outlive their attachments. Services start one after another,
 * each once the one it needs is ready, so a normal start logs no warning; one that dies at start ends the start at
 * once with its error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCsiClient, type CsiClient } from '@rds-csi/csi-spec';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { FakeKubeApi, startNatsServer, type NatsServerHandle, type ObjectIdentity } from '@rds-csi/testkit';

const root = resolve(import.meta.dirname, '..');
export const LOCAL_DIR = join(root, '.local');
const EXIT_WITH_PARENT = join(root, 'scripts', 'exit-with-parent.mjs');
/** How long one service may take to become ready, and to stop before it is killed. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface LocalStackOptions {
  nodes: string[];
  /** Extra environment for every service (e.g. a short NotReady grace for the demo). */
  env?: Record<string, string>;
  /** Prints each service log line (default true). */
  showLogs?: boolean;
  /** State directory (default .local/). */
  dir?: string;
  /** Deletes the state first: the RDS simulator's disks and the NATS store go together. */
  reset?: boolean;
  /** RDS simulator time per command (default 5 ms). */
  latencyMs?: number;
  /** Runs the built bundles (services/<name>/dist/main.js) as deploy/entrypoint.sh does, instead of tsx. */
  bundles?: { sourceMaps: boolean };
  /** Each service's metrics port (default METRICS_PORTS). */
  metricsPorts?: Partial<Record<LocalService, number>>;
  /** Ports of the stack's own servers; default: free ones. */
  ports?: { nats?: number; rdsSsh?: number; kubeApi?: number };
  /** Aborting it during the start stops whatever was started, and the start rejects. */
  signal?: AbortSignal;
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

/** A start that failed for a reason to print in one line (a service died, a port is taken): no stack trace. */
export class StackStartError extends Error {
  override readonly name = 'StackStartError';
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
    // An error's message says what happened; its stack trace is for the JSON log, not the console.
    const err = rest.err as { message?: unknown } | undefined;
    if (err && typeof err === 'object' && 'message' in err) rest.err = err.message;
    const fields = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${String(label)} ${String(msg)}${fields}`.slice(0, 400);
  } catch {
    return line;
  }
}

/** Fails at once with a clear message when a port the stack is told to use is taken. */
async function assertPortFree(port: number | undefined, what: string): Promise<void> {
  if (!port) return;
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new StackStartError(`port ${port} (${what}) is in use: choose another (see npm start -- --help)`),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort()));
  });
}

/**
 * The fake cluster's nodes keep their identity (uid, creation) across runs, like the RDS and the NATS store: a node
 * re-created under the same name is another node to the reconciler, which would clear every attachment to it.
 */
async function addNodes(kube: FakeKubeApi, nodes: string[], file: string): Promise<void> {
  const known = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, ObjectIdentity>;
  const identities = Object.fromEntries(
    nodes.map((name) => {
      const { uid, creationTimestamp } = kube.addNode(name, { identity: known[name] }).metadata;
      return [name, { uid, creationTimestamp }];
    }),
  );
  await writeFile(file, JSON.stringify({ ...known, ...identities }, null, 2) + '\n');
}

interface Service {
  name: string;
  child: ChildProcess;
  env: Record<string, string>;
  /** The last lines it logged, for the message when it dies at start. */
  recent: string[];
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dir = options.dir ?? LOCAL_DIR;
  const metricsPort = (service: LocalService) => options.metricsPorts?.[service] ?? METRICS_PORTS[service];
  const services: Service[] = [];
  const pids: Record<string, number> = {};
  let stopping = false;
  let nats: NatsServerHandle | undefined;
  let sim: RdsSimulator | undefined;
  let kube: FakeKubeApi | undefined;

  const stopService = async ({ child }: Service): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };
  const stop = async (): Promise<void> => {
    stopping = true;
    // In reverse start order, so no service logs its peers going away; NATS last.
    for (const service of [...services].reverse()) await stopService(service);
    await kube?.close();
    await sim?.stop();
    await nats?.dispose();
  };

  const startService = (name: string, env: Record<string, string>): Service => {
    const program = options.bundles
      ? [
          ...(options.bundles.sourceMaps ? ['--enable-source-maps'] : []),
          join(root, 'services', name, 'dist', 'main.js'),
        ]
      : ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')];
    const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...program], {
      env: { ...process.env, ...options.env, ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C or hang-up reaches the stack, which stops services in order.
      detached: true,
    });
    const service: Service = { name, child, env, recent: [] };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        const summary = summarise(line);
        service.recent = [...service.recent.slice(-4), summary];
        if (options.showLogs ?? true) console.log(`[${name.padEnd(13)}] ${summary}`);
      });
    }
    child.on('exit', (code, signal) => {
      if (!stopping && services.includes(service)) console.error(`[${name}] exited (${signal ?? code})`);
    });
    services.push(service);
    if (child.pid) pids[name] = child.pid;
    return service;
  };

  /** Waits until `ready` holds; a service that exits meanwhile, an abort or the timeout ends the start. */
  const untilReady = async (service: Service, ready: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const { exitCode, signalCode } = service.child;
      if (exitCode !== null || signalCode !== null) {
        const why =
          service.recent.filter((l) => /^(ERROR|FATAL)/.test(l)).pop() ?? service.recent.pop() ?? '';
        throw new StackStartError(
          `${service.name} exited (${signalCode ?? `code ${exitCode}`}) during start-up${why ? `: ${why}` : ''}`,
        );
      }
      if (options.signal?.aborted) throw new StackStartError('start interrupted');
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        throw new StackStartError(`${service.name} not ready after ${START_TIMEOUT_MS / 1000} s`);
      }
      await sleep(200);
    }
  };
  const readyz = (name: LocalService) => async () =>
    (await fetch(`http://127.0.0.1:${metricsPort(name)}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok;
  const startInOrder = async (name: LocalService, env: Record<string, string>, ready = readyz(name)) =>
    untilReady(startService(name, { ...env, METRICS_PORT: String(metricsPort(name)) }), ready);

  let csi: CsiClient | undefined;
  try {
    if (options.reset) await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    let natsUrl = process.env.NATS_URL;
    if (!natsUrl) {
      await assertPortFree(options.ports?.nats, 'NATS');
      nats = await startNatsServer({ port: options.ports?.nats, storeDir: join(dir, 'nats') });
      natsUrl = nats.url;
    }
    // Tools (npm run req, npm run rdscsi) find the local NATS here.
    await writeFile(join(dir, 'nats.url'), natsUrl);
    const keys = generateKeyPair();
    const keyFile = join(dir, 'rds_id_ed25519');
    await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
    sim = await RdsSimulator.start({
      dataDir: join(dir, 'rds'),
      authorizedKeys: [keys.publicKey],
      latencyMs: options.latencyMs ?? 5,
      port: options.ports?.rdsSsh,
    });
    kube = await FakeKubeApi.start({ port: options.ports?.kubeApi });
    await addNodes(kube, options.nodes, join(dir, 'nodes.json'));
    const kubeconfig = await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    const socket = join(dir, 'csi-controller.sock');
    const common = { NATS_URL: natsUrl, KUBECONFIG: kubeconfig };
    for (const name of Object.keys(METRICS_PORTS) as LocalService[])
      await assertPortFree(metricsPort(name), `${name} metrics`);
    await startInOrder('rds-connector', {
      ...common,
      RDS_ADDRESS: '127.0.0.1',
      RDS_SSH_PORT: String(sim.port),
      RDS_SSH_KEY_FILE: keyFile,
      RDS_HOST_KEY: sim.hostKeyFingerprint,
    });
    await startInOrder('node-watcher', common);
    await startInOrder('reconciler', common);
    const client = (csi = createCsiClient(`unix://${socket}`));
    await startInOrder(
      'csi-gateway',
      { ...common, CSI_MODE: 'controller', CSI_ENDPOINT: `unix://${socket}` },
      async () => (await client.identity.Probe({})).ready?.value === true,
    );
    const restart = async (name: string, env: Record<string, string> = {}): Promise<void> => {
      const service = services.find((s) => s.name === name);
      if (!service) throw new Error(`no service ${name}`);
      services.splice(services.indexOf(service), 1);
      await stopService(service);
      startService(name, { ...service.env, ...env });
    };
    return {
      natsUrl,
      socket,
      sim,
      kube,
      csi: client,
      pids,
      restart,
      stop: async () => (client.close(), stop()),
    };
  } catch (err) {
    csi?.close();
    await stop();
    throw err;
  }
}
