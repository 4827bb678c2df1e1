/**
 * `npm start`: the whole stack locally (see local-stack.ts), then a CSI walk-through through the gateway's socket.
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP stops every process of the stack, and so does npm going away. Options: USAGE.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { constants } from 'node:os';
import { waitFor } from '@rds-csi/testkit';
import { GiB, createVolume, fsCapability, publish as publishVolume } from '@rds-csi/e2e/volumes';
import {
  METRICS_PORTS,
  StackStartError,
  startLocalStack,
  type LocalService,
  type LocalStack,
} from './local-stack.js';

const NODES = ['local-node-a', 'local-node-b', 'local-node-c'];
const USAGE = `usage: npm start -- [options]
  --once               stop after the walk-through (a smoke test)
  --reset              start over: delete the RDS simulator's disks and the NATS store (they go together)
  --dir <path>         state directory (default .local/)
  --nats-port <port>   NATS client port (default 4222)
  --rds-port <port>    the RDS simulator's SSH port (default: a free one)
  --kube-port <port>   the fake Kubernetes API's port (default: a free one)
  --metrics-port <n>   the first of the services' four metrics ports (default 9810: rds-connector,
                       csi-gateway, node-watcher, reconciler)
  --stop-with <pid>    also stop when that process ends (package.json passes npm's own)`;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A stable NVMe host NQN per node name, shaped like the ones nvme-cli generates (nqn.2014-08...:uuid:<uuid>). */
function hostNqn(node: string): string {
  const hex = createHash('sha256').update(node).digest('hex');
  const uuid = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)];
  return `nqn.2014-08.org.nvmexpress:uuid:${uuid.join('-')}`;
}

async function walkThrough(stack: LocalStack, metricsUrls: string): Promise<void> {
  const { csi } = stack;
  const info = await csi.identity.GetPluginInfo({});
  const volume = await createVolume(csi, GiB, fsCapability());
  // Node IDs as the node plugin reports them, `<node>@<host NQN>`, so the storage fence admits only that host.
  const publish = (node: string) => publishVolume(csi, volume, `${node}@${hostNqn(node)}`, fsCapability());
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

Try it with the admin CLI (npm run rdscsi -- status | volumes | attachments | nodes | reconcile --dry-run)
or with the nats CLI:
    nats -s ${stack.natsUrl} micro ls
    nats -s ${stack.natsUrl} req rdscsi.attach.list '{}'
    nats -s ${stack.natsUrl} req rdscsi.reconcile.trigger '{"dryRun":true}'
    nats -s ${stack.natsUrl} kv ls rdscsi_attachments
CSI socket: unix://${stack.socket}    metrics: ${metricsUrls}
npm run demo replays the incident this driver exists for. Ctrl-C stops the stack.`);
}

function settings() {
  const port = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      dir: { type: 'string' },
      'nats-port': port,
      'rds-port': port,
      'kube-port': port,
      'metrics-port': port,
      'stop-with': port,
    },
  });
  const number = (name: keyof typeof values): number | undefined => {
    const raw = values[name];
    if (raw === undefined || typeof raw !== 'string') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new StackStartError(`--${name} ${raw} is not a port`);
    return n;
  };
  const metricsBase = number('metrics-port');
  const metricsPorts = Object.fromEntries(
    (Object.keys(METRICS_PORTS) as LocalService[]).map((name, i) => [
      name,
      metricsBase === undefined ? METRICS_PORTS[name] : metricsBase + i,
    ]),
  ) as Record<LocalService, number>;
  return {
    help: values.help,
    once: values.once,
    reset: values.reset,
    dir: values.dir,
    ports: { nats: number('nats-port') ?? 4222, rdsSsh: number('rds-port'), kubeApi: number('kube-port') },
    metricsPorts,
    stopWith: number('stop-with'),
  };
}

/** Calls `gone` once the process `pid` has ended (polled: a process cannot wait on a non-child). */
function whenGone(pid: number, gone: () => void): void {
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      clearInterval(timer);
      gone();
    }
  }, 500);
  timer.unref();
}

let options: ReturnType<typeof settings>;
try {
  options = settings();
} catch (err) {
  console.error(`error: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const interrupted = new AbortController();
let stack: LocalStack | undefined;
let stopping: Promise<void> | undefined;
/** Stops everything once, whatever asked first (a signal, npm gone, the walk-through done), then exits. */
function shutdown(exitCode: number): void {
  interrupted.abort();
  stopping ??= (stack?.stop() ?? Promise.resolve()).then(
    () => process.exit(exitCode),
    (err: unknown) => {
      console.error(`error while stopping: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
for (const signal of STOP_SIGNALS) process.on(signal, () => shutdown(128 + constants.signals[signal]));
if (options.stopWith !== undefined) whenGone(options.stopWith, () => shutdown(129));
const parent = process.ppid;
whenGone(parent, () => shutdown(129));

try {
  stack = await startLocalStack({
    nodes: NODES,
    dir: options.dir,
    reset: options.reset,
    ports: options.ports,
    metricsPorts: options.metricsPorts,
    signal: interrupted.signal,
  });
  const metricsUrls = Object.values(options.metricsPorts)
    .map((port) => `http://127.0.0.1:${port}/metrics`)
    .join(' ');
  if (!interrupted.signal.aborted) await walkThrough(stack, metricsUrls);
  if (options.once) shutdown(0);
} catch (err) {
  if (!interrupted.signal.aborted) {
    // A start-up failure is one line; anything else is a bug in the walk-through, worth its stack trace.
    console.error(err instanceof StackStartError ? `error: ${err.message}` : err);
    shutdown(1);
  }
}
