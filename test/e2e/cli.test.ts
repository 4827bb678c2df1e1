/**
 * `rdscsi`, the admin CLI, run as a child process (as an operator runs it) against every real service, a real
 * nats-server and the RouterOS simulator: each command, its --json output parsed, its exit code, and the one-line
 * errors with their gRPC code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { endpoints } from '@rds-csi/contracts';
import type { CsiClient } from '@rds-csi/csi-spec';
import { freePort, rejectionOf, waitFor } from '@rds-csi/testkit';
import { E2eStack } from '../src/stack.js';
import { GRPC, GiB, createVolume, grpcCode, publish } from '../src/volumes.js';

const MAIN = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'src', 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rdscsi(args: string[], options: { server?: string; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, NATS_URL: options.server ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

describe('rdscsi, the admin CLI, against the real services', { timeout: 180_000 }, () => {
  let stack: E2eStack;
  let csi: CsiClient;
  let volumeId: string;
  const run = (...args: string[]) => rdscsi(args, { server: stack.nats.url });
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await run('--json', ...args);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as T;
  };

  before(async () => {
    stack = await E2eStack.start({ nodes: ['node-a', 'node-b'] });
    csi = await stack.startAll();
    const volume = await createVolume(csi, GiB);
    volumeId = volume.volume_id;
    assert.equal(await grpcCode(publish(csi, volume, 'node-a')), undefined);
  });
  after(() => stack?.dispose());

  it('status lists every service instance ready, the RDS link connected and the NATS server (exit 0)', async () => {
    interface Status {
      nats: { server: string };
      rds: { state?: { state: string } };
      instances: { name: string; id: string; version: string; readiness?: { ready: boolean } }[];
      missing: string[];
    }
    const status = await waitFor(
      async () => {
        const s = await json<Status>('status');
        return s.instances.every((i) => i.readiness?.ready === true) ? s : undefined;
      },
      { message: 'every instance ready in rdscsi status' },
    );
    assert.deepEqual([...new Set(status.instances.map((i) => i.name))].sort(), [
      'csi-gateway',
      'node-watcher',
      'rds-connector',
      'reconciler',
    ]);
    assert.ok(status.instances.every((i) => i.id !== '' && i.version !== ''));
    assert.deepEqual(status.missing, []);
    assert.equal(status.rds.state?.state, 'connected');
    assert.ok(stack.nats.url.endsWith(status.nats.server.replace(/^.*:\/\//, '')), status.nats.server);
    const text = await run('status');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^RDS link: connected to 127\.0\.0\.1 \(since /m);
    assert.match(text.stdout, /^SERVICE\s+ID\s+VERSION\s+READY/m);
    assert.match(text.stdout, /^reconciler\s+\S+\s+\S+\s+yes/m);
  });

  it('volumes, attachments [--node], nodes, orphans and reconcile --dry-run answer from their owners', async () => {
    const { volumes } = await json<{ volumes: { id: string; sizeBytes: number }[] }>('volumes');
    assert.deepEqual(
      volumes.map((v) => [v.id, v.sizeBytes]),
      [[volumeId, GiB]],
    );
    const onA = await json<{ attachments: { volumeId: string }[] }>('attachments', '--node', 'node-a');
    assert.deepEqual(
      onA.attachments.map((a) => a.volumeId),
      [volumeId],
    );
    const onB = await json<{ attachments: unknown[] }>('attachments', '--node', 'node-b');
    assert.deepEqual(onB.attachments, []);
    const table = await run('attachments');
    assert.match(table.stdout, new RegExp(`^${volumeId}\\s+node-a\\s+single-node\\s+filesystem\\s+rw`, 'm'));
    const { nodes } = await json<{ nodes: { name: string; ready: boolean }[] }>('nodes');
    assert.deepEqual(
      nodes.map((n) => [n.name, n.ready]),
      [
        ['node-a', true],
        ['node-b', true],
      ],
    );
    const report = await json<{ dryRun: boolean; checked: number; cleared: unknown[] }>(
      'reconcile',
      '--dry-run',
    );
    assert.equal(report.dryRun, true);
    assert.equal(report.checked, 1);
    assert.deepEqual(report.cleared, []);
    const orphans = await json<{ volumesChecked: number; orphans: unknown[] }>('orphans');
    assert.equal(orphans.volumesChecked, 1);
    assert.deepEqual(orphans.orphans, [], 'the fake API has no PV for it, but it is within the grace');
  });

  it('release refuses a node the volume is not attached to with NOT_FOUND (exit 1, one line)', async () => {
    const result = await run('release', volumeId, '--node', 'node-b', '--yes');
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`^NOT_FOUND: volume ${volumeId} is not attached to node node-b`));
  });

  it('release asks first: anything but "yes" releases nothing (ABORTED)', async () => {
    const result = await rdscsi(['release', volumeId, '--node', 'node-a'], {
      server: stack.nats.url,
      stdin: 'no\n',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Never do this while node-a may still write/);
    assert.match(result.stderr, /^ABORTED: not confirmed: nothing released$/m);
    const record = await stack.client.request(endpoints.attachGet, { volumeId });
    assert.deepEqual(
      record.nodes.map((n) => n.nodeId),
      ['node-a'],
    );
  });

  it('release confirmed with "yes" removes the attachment, and the volume publishes to another node', async () => {
    const result = await rdscsi(['--json', 'release', volumeId, '--node', 'node-a'], {
      server: stack.nats.url,
      stdin: 'yes\n',
    });
    assert.equal(result.code, 0, result.stderr);
    const released = JSON.parse(result.stdout) as { released: { nodeId: string }; remainingNodes: string[] };
    assert.equal(released.released.nodeId, 'node-a');
    assert.deepEqual(released.remainingNodes, []);
    const lookup = await rejectionOf(() => stack.client.request(endpoints.attachGet, { volumeId }));
    assert.equal(lookup.code, 'NOT_FOUND');
    const [volume] = (await csi.controller.ListVolumes({})).entries ?? [];
    assert.equal(await grpcCode(publish(csi, volume!.volume!, 'node-b')), undefined);
    assert.equal(await grpcCode(publish(csi, volume!.volume!, 'node-a')), GRPC.FAILED_PRECONDITION);
  });

  it('a malformed argument is a usage error (exit 2) before anything is sent', async () => {
    const result = await run('release', 'PVC_Not_A_Volume', '--node', 'node-a', '--yes');
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), /^INVALID_ARGUMENT: .*volume "PVC_Not_A_Volume" is not valid$/);
  });

  it('without NATS every command says so in one line: UNAVAILABLE, exit 1', async () => {
    const server = `nats://127.0.0.1:${await freePort()}`;
    const result = await rdscsi(['volumes'], { server });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`^UNAVAILABLE: cannot reach NATS at ${server}`));
  });

  it('status exits 3 and names the missing service when one is gone', async () => {
    await stack.connector?.stop();
    stack.connector = undefined;
    const result = await run('status');
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^MISSING: no rds-connector instance answers service discovery$/m);
    assert.match(result.stdout, /^RDS link: unknown \(UNAVAILABLE: /m);
  });
});
