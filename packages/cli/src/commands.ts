import {
  RdsCsiError,
  endpoints,
  toRdsCsiError,
  type Attachment,
  type ConnectionState,
  type CorruptRecord,
  type OrphanReport,
  type ServiceName,
} from '@rds-csi/contracts';
import type { AdminClient, InstanceStats } from './client.js';
import { age, bytes, sections, table, yesNo } from './format.js';

/** What a command prints: `json` with --json, `text` otherwise; `healthy: false` ends the CLI with exit code 3. */
export interface Outcome {
  json: unknown;
  text: string;
  healthy?: boolean;
}

/** Every service a working driver runs at least one instance of. */
const EXPECTED_SERVICES: readonly ServiceName[] = [
  'rds-connector',
  'reconciler',
  'node-watcher',
  'csi-gateway',
];

const describeMetadata = (m: InstanceStats['metadata']): string =>
  Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const readinessText = (i: InstanceStats): string =>
  i.readiness === undefined
    ? 'unknown'
    : i.readiness.ready
      ? 'yes'
      : `no${i.readiness.reason ? ` (${i.readiness.reason})` : ''}`;

type RdsLink = { state: ConnectionState } | { error: { code: string; message: string } };

async function rdsLink(client: AdminClient): Promise<RdsLink> {
  try {
    return { state: await client.request(endpoints.connectionGet, {}) };
  } catch (err) {
    const { code, message } = toRdsCsiError(err);
    return { error: { code, message } };
  }
}

function rdsLinkText(link: RdsLink): string {
  if ('error' in link) return `RDS link: unknown (${link.error.code}: ${link.error.message})`;
  const { state, since, address, attempt, lastError } = link.state;
  const detail = [`since ${since}`, `attempt ${attempt}`, ...(lastError ? [`last error: ${lastError}`] : [])];
  return `RDS link: ${state} to ${address} (${detail.join(', ')})`;
}

export async function status(client: AdminClient): Promise<Outcome> {
  const [instances, link, rttMs] = await Promise.all([client.instances(), rdsLink(client), client.nc.rtt()]);
  const missing = EXPECTED_SERVICES.filter((name) => !instances.some((i) => i.name === name));
  const nats = { server: client.nc.getServer(), rttMs };
  const healthy =
    missing.length === 0 &&
    instances.every((i) => i.readiness?.ready !== false) &&
    'state' in link &&
    link.state.state === 'connected';
  const rows = instances.map((i) => [
    i.name,
    i.id,
    i.version,
    readinessText(i),
    age(i.started),
    describeMetadata(i.metadata),
  ]);
  return {
    json: { nats, rds: link, instances, missing },
    healthy,
    text: sections(
      [
        `NATS: connected to ${nats.server} (round trip ${rttMs} ms); every instance listed answers over it`,
        rdsLinkText(link),
      ].join('\n'),
      table(['service', 'id', 'version', 'ready', 'age', 'metadata'], rows),
      missing.map((name) => `MISSING: no ${name} instance answers service discovery`).join('\n'),
    ),
  };
}

export async function volumes(client: AdminClient): Promise<Outcome> {
  const list = await client.all(endpoints.volumeList, (page) => page.volumes);
  return {
    json: { volumes: list },
    text:
      table(
        ['volume', 'size', 'exported', 'port', 'problem'],
        list.map((v) => [
          v.id,
          bytes(v.sizeBytes),
          yesNo(v.exported),
          String(v.nvmeTcpPort),
          v.problem ?? '',
        ]),
      ) || 'no volumes',
  };
}

const corruptText = (corrupt: CorruptRecord[]): string =>
  corrupt.length === 0
    ? ''
    : `CORRUPT records (each fences its volume; see docs/operations.md):\n${table(
        ['key', 'reason'],
        corrupt.map((c) => [c.key, c.reason]),
      )}`;

export async function attachments(client: AdminClient, node: string | undefined): Promise<Outcome> {
  const corrupt: CorruptRecord[] = [];
  const all = await client.all(endpoints.attachList, (page) => {
    corrupt.push(...(page.corrupt ?? []));
    return page.attachments;
  });
  const shown = node === undefined ? all : all.filter((a) => a.nodes.some((n) => n.nodeId === node));
  const rows = shown.flatMap((a: Attachment) =>
    a.nodes.map((n) => [
      a.volumeId,
      n.nodeId,
      a.access,
      a.volumeMode,
      n.readonly ? 'ro' : 'rw',
      age(n.attachedAt),
      a.migrationDeadline ?? '',
    ]),
  );
  return {
    json: { attachments: shown, corrupt },
    text: sections(
      table(['volume', 'node', 'access', 'mode', 'rw', 'age', 'migration deadline'], rows) ||
        `no attachments${node === undefined ? '' : ` on node ${node}`}`,
      corruptText(corrupt),
    ),
  };
}

export async function nodes(client: AdminClient): Promise<Outcome> {
  let current = { syncedAt: '', currentAt: '' };
  const list = await client.all(endpoints.nodesSnapshot, (page) => {
    current = { syncedAt: page.syncedAt, currentAt: page.currentAt };
    return page.nodes;
  });
  return {
    json: { nodes: list, ...current },
    text: sections(
      `node-watcher cache synced ${current.syncedAt}, current as of ${current.currentAt}`,
      table(
        ['node', 'ready', 'not ready since', 'out of service', 'age', 'uid'],
        list.map((n) => [
          n.name,
          yesNo(n.ready),
          n.notReadySince ?? '',
          yesNo(n.outOfService),
          age(n.createdAt),
          n.uid,
        ]),
      ) || 'no nodes',
    ),
  };
}

export async function reconcile(client: AdminClient, dryRun: boolean): Promise<Outcome> {
  const report = await client.request(endpoints.reconcileTrigger, { dryRun });
  const verb = report.dryRun ? 'would clear' : 'cleared';
  return {
    json: report,
    text: sections(
      `${report.dryRun ? 'dry run: ' : ''}checked ${report.checked} attachment(s) in ${report.durationMs} ms, ` +
        `${verb} ${report.cleared.length}, skipped ${report.skipped.length}`,
      table(
        ['volume', 'node', verb],
        report.cleared.map((c) => [c.volumeId, c.nodeId, c.reason]),
      ),
      table(
        ['volume', 'node', 'skipped because'],
        report.skipped.map((s) => [s.volumeId, s.nodeId, s.why]),
      ),
      corruptText(report.corrupt ?? []),
    ),
  };
}

export async function orphans(client: AdminClient): Promise<Outcome> {
  // Every page carries the whole report's counts; the first page's are kept.
  const first: { head?: Omit<OrphanReport, 'orphans'> } = {};
  const list = await client.all(endpoints.orphansReport, (page) => {
    const { checkedAt, graceSeconds, volumesChecked, withinGrace } = page;
    first.head ??= { checkedAt, graceSeconds, volumesChecked, withinGrace };
    return page.orphans;
  });
  const head = first.head;
  if (!head) throw new RdsCsiError('INTERNAL', 'the reconciler answered no orphan report page');
  return {
    json: { ...head, orphans: list },
    text: sections(
      `checked ${head.volumesChecked} volume(s) at ${head.checkedAt}: ${list.length} orphan(s), ` +
        `${head.withinGrace} unreferenced within the ${head.graceSeconds} s grace (report only: nothing is deleted)`,
      table(
        ['volume', 'size', 'first seen', 'file'],
        list.map((o) => [o.volumeId, bytes(o.sizeBytes), o.firstSeen, o.filePath]),
      ),
    ),
  };
}

/** Asks before a break-glass action; resolves true to go ahead. */
export type Confirm = (question: string) => Promise<boolean>;

export async function release(
  client: AdminClient,
  volumeId: string,
  nodeId: string,
  confirm: Confirm,
): Promise<Outcome> {
  const attachment = await client.request(endpoints.attachGet, { volumeId });
  const held = attachment.nodes.find((n) => n.nodeId === nodeId);
  if (!held) {
    throw new RdsCsiError(
      'NOT_FOUND',
      `volume ${volumeId} is not attached to node ${nodeId} (attached to: ${
        attachment.nodes.map((n) => n.nodeId).join(', ') || 'none'
      })`,
    );
  }
  const question =
    `Release volume ${volumeId} from node ${nodeId} (attached ${held.attachedAt}, ${held.readonly ? 'ro' : 'rw'})?\n` +
    `Another node can then attach it. Never do this while ${nodeId} may still write to the volume.`;
  if (!(await confirm(question))) throw new RdsCsiError('ABORTED', 'not confirmed: nothing released');
  const result = await client.request(endpoints.attachRelease, { volumeId, nodeId });
  return {
    json: result,
    text:
      `released volume ${result.volumeId} from node ${result.released.nodeId}; ` +
      (result.remainingNodes.length > 0
        ? `still attached to ${result.remainingNodes.join(', ')}`
        : 'attached to no node now'),
  };
}
