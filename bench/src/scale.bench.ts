import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allPages, type Bus } from '@rds-csi/bus';
import { endpoints, type RdsCsiError } from '@rds-csi/contracts';
import { connectTestBus } from '@rds-csi/bus/testing';
import { seedExportedDisks } from '@rds-csi/rds-simulator';
import { waitFor } from '@rds-csi/testkit';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack.js';
import { buildBundles, rssMiB } from './lifecycle.bench.js';
import { round, type Measurement } from './report.js';

const VOLUMES = 10_000;
const NODES = 1_000;
/** node-0000 carries this many attachments; the others share the rest evenly. */
const ON_DELETED_NODE = 200;
const BASE_DIR = 'storage-pool/metal-csi';
const volumeId = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const nodeName = (n: number) => `node-${String(n).padStart(4, '0')}`;
const BENCH = 'scale: 10k volumes, 10k attachments, 1k nodes';

/** The simulator's saved state with `count` exported volumes (listing never reads the backing files). */
function seedSimulator(dir: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => volumeId(i));
  return seedExportedDisks(join(dir, 'rds'), BASE_DIR, ids);
}

const nodeOf = (i: number) =>
  i < ON_DELETED_NODE ? nodeName(0) : nodeName(1 + ((i - ON_DELETED_NODE) % (NODES - 1)));

const publishRequest = (i: number, node: string) =>
  ({ volumeId: volumeId(i), nodeId: node, access: 'single-node', volumeMode: 'filesystem' }) as const;

async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a request, returns what happened in words (a row's note) and the time it took. */
async function attempt(run: () => Promise<string>): Promise<{ note: string; ms: number }> {
  const t0 = performance.now();
  const note = await run().catch((err: RdsCsiError) =>
    `failed: ${err.code ?? ''} ${err.message}`.slice(0, 120),
  );
  return { note, ms: round(performance.now() - t0) };
}

async function passDurations(): Promise<{ count: number; sum: number }> {
  const text = await (await fetch('http://127.0.0.1:9813/metrics')).text();
  // Summed over the `trigger` label (start-up, period, node events).
  const value = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  return {
    count: value('rdscsi_reconciler_pass_duration_seconds_count'),
    sum: value('rdscsi_reconciler_pass_duration_seconds_sum'),
  };
}

/** The first value `probe` yields within `timeoutMs` (polled every 5 ms), or undefined. */
function until<T>(probe: () => Promise<T>, timeoutMs: number): Promise<NonNullable<T> | undefined> {
  return waitFor(probe, { timeoutMs, intervalMs: 5 }).catch(() => undefined);
}

/**
 * (b) Issue 10's scale scenario on the bundles as the image starts them: every row of its table that does not
 * belong to (a). Rows that depend on the reconciler's and node-watcher's index work measure today's code.
 */
export async function benchScale(): Promise<Measurement[]> {
  buildBundles();
  const dir = await mkdtemp(join(tmpdir(), 'rdscsi-scale-'));
  await seedSimulator(dir, VOLUMES);
  const stack = await startLocalStack({
    nodes: Array.from({ length: NODES }, (_, i) => nodeName(i)),
    showLogs: false,
    dir,
    latencyMs: 0,
    bundles: { sourceMaps: false },
    env: { RECONCILER_PERIOD_SECONDS: '5' },
  });
  const bus = await connectTestBus(stack.natsUrl, 'bench', { prefix: undefined });
  const rows: Measurement[] = [];
  const row = (metric: string, value: number, unit: string, note = '') =>
    rows.push({ bench: BENCH, metric, value, unit, note });
  try {
    await scenario(stack, bus, row);
  } finally {
    await bus.close();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

type Row = (metric: string, value: number, unit: string, note?: string) => void;

async function scenario(stack: LocalStack, bus: Bus, row: Row): Promise<void> {
  const deadline = () => ({ deadline: Date.now() + 120_000 });
  // The reconciler serves publishes once its start-up pass is done.
  if (
    !(await until(
      () => bus.request(endpoints.attachPublish, publishRequest(0, nodeOf(0)), deadline()),
      60_000,
    ))
  )
    throw new Error('the reconciler never served a publish');
  const t0 = performance.now();
  await inParallel(VOLUMES, 16, async (i) => {
    await bus.request(endpoints.attachPublish, publishRequest(i, nodeOf(i)), deadline());
  });
  row('seeding 10k attachments (attach.publish, c16)', round((performance.now() - t0) / 1000, 1), 's');

  let pages = 0;
  const list = await attempt(async () => {
    let token = '';
    let entries = 0;
    do {
      const page = await stack.csi.controller.ListVolumes({ max_entries: 0, starting_token: token });
      entries += page.entries.length;
      token = page.next_token;
      pages++;
    } while (token !== '');
    return `${entries} volumes in ${pages} pages`;
  });
  row('ListVolumes, every page', list.ms, 'ms', list.note);
  const volumeList = await attempt(async () => {
    let volumePages = 0;
    const all = await allPages(
      (page) => (volumePages++, bus.request(endpoints.volumeList, page, deadline())),
      (page) => page.volumes,
    );
    return `${all.length} volumes in ${volumePages} pages`;
  });
  row('rds.volume.list, every page', volumeList.ms, 'ms', volumeList.note);
  const attachList = await attempt(async () => {
    const all = await allPages(
      (page) => bus.request(endpoints.attachList, page, deadline()),
      (page) => page.attachments,
    );
    return `${all.length} attachments`;
  });
  row('attach.list', attachList.ms, 'ms', attachList.note);
  const orphans = await attempt(async () => {
    let checked = 0;
    await allPages(
      (page) => bus.request(endpoints.orphansReport, page, deadline()),
      (report) => ((checked = report.volumesChecked), report.orphans),
    );
    return `${checked} volumes checked`;
  });
  row('orphan scan', orphans.ms, 'ms', orphans.note);
  row(
    'rds-connector alive after all three',
    Number(alive(stack.pids['rds-connector']!)),
    'bool',
    'target: alive, any size',
  );
  row(
    'reconciler alive after all three',
    Number(alive(stack.pids.reconciler!)),
    'bool',
    'target: alive, any size',
  );

  const before = await passDurations();
  await until(async () => ((await passDurations()).count > before.count ? true : undefined), 30_000);
  const after = await passDurations();
  row(
    'full reconcile pass, 10k',
    round(((after.sum - before.sum) / (after.count - before.count)) * 1000),
    'ms',
    'target <= 250 ms',
  );
  row('RSS reconciler at 10k', await rssMiB(stack.pids.reconciler!), 'MiB', 'target <= 128');
  row('RSS node-watcher with 1k nodes', await rssMiB(stack.pids['node-watcher']!), 'MiB', 'target <= 128');
  row('RSS rds-connector at 10k', await rssMiB(stack.pids['rds-connector']!), 'MiB', 'target <= 128');
  row('RSS csi-gateway after ListVolumes', await rssMiB(stack.pids['csi-gateway']!), 'MiB', 'target <= 128');

  // A node with 200 attachments goes; one of its volumes is then published elsewhere.
  const moved = publishRequest(0, nodeName(1));
  const t1 = performance.now();
  stack.kube.deleteNode(nodeName(0));
  const healed = await until(() => bus.request(endpoints.attachPublish, moved, deadline()), 60_000);
  row(
    'node deleted (200 attachments) -> publish elsewhere OK',
    round(performance.now() - t1),
    'ms',
    healed ? 'target <= 100 ms' : 'did not succeed within 60 s',
  );

  await stack.restart('reconciler');
  const t2 = performance.now();
  const served = await until(
    () => bus.request(endpoints.attachPublish, publishRequest(1, nodeName(1)), deadline()),
    60_000,
  );
  row(
    'reconciler restart -> serving publishes, 10k',
    round(performance.now() - t2),
    'ms',
    served ? 'from SIGTERM of the old process done; target <= 1000 ms' : 'did not serve within 60 s',
  );
}
