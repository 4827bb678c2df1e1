import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCsiClient } from '@rds-csi/csi-spec';
import { startNatsServer, waitFor } from '@rds-csi/testkit';
import { FakeConnector } from './support/fake-connector.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('the process serves on CSI_ENDPOINT and shuts down gracefully on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'csi-gateway-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const nats = await startNatsServer({ jetstream: false });
  t.after(() => nats.dispose());
  const connector = await FakeConnector.start(nats.url, 200);
  t.after(() => connector.stop());
  const socket = join(dir, 'csi.sock');
  const gateway = run({
    NATS_URL: nats.url,
    CSI_ENDPOINT: `unix://${socket}`,
    METRICS_PORT: '0',
    RDS_HEARTBEAT_INTERVAL_MS: '200',
    LOG_LEVEL: 'info',
  });
  t.after(() => gateway.child.kill('SIGKILL'));

  const client = createCsiClient(`unix://${socket}`);
  t.after(() => client.close());
  await waitFor(async () => (await client.identity.Probe({})).ready?.value === true, {
    timeoutMs: 30_000,
    message: `gateway ready (${gateway.output()})`,
  });

  gateway.child.kill('SIGTERM');
  assert.equal(await gateway.exited, 0, gateway.output());
  await assert.rejects(lstat(socket), /ENOENT/);
  assert.match(gateway.output(), /CSI gateway stopped/);
});

test('bad configuration exits non-zero with a message naming the setting', async () => {
  const gateway = run({ CSI_MODE: 'sideways' });
  assert.equal(await gateway.exited, 1);
  assert.match(gateway.output(), /invalid csi-gateway configuration: mode/);
});
