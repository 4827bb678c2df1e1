import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';
import { Harness, VOLUMES } from './harness.js';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The container entry point, as a real process with its environment. */
function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVICE_DIR,
    env: { ...process.env, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('reconciler process', () => {
  let nats: NatsServerHandle;
  const children: ChildProcess[] = [];
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await nats?.dispose();
  });

  it('serves from the environment and stops gracefully on SIGTERM', async (t) => {
    const h = await Harness.create(nats);
    t.after(() => h.close());
    h.watcher.ready('node-a');
    const port = await freePort();
    const { child, output } = startMain({
      NATS_URL: nats.url,
      RDSCSI_SUBJECT_PREFIX: h.prefix,
      METRICS_PORT: String(port),
    });
    children.push(child);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
      timeoutMs: 30_000,
      message: `ready (output: ${output().slice(-500)})`,
    });
    const attachment = await h.publish(VOLUMES[0], 'node-a');
    assert.deepEqual(
      attachment.nodes.map((n) => n.nodeId),
      ['node-a'],
    );
    child.kill('SIGTERM');
    assert.equal(await exitCode(child), 0, output().slice(-1000));
    assert.match(output(), /reconciler stopped/);
  });

  it('exits with status 2 naming the variable on bad configuration', async () => {
    const { child, output } = startMain({ NATS_URL: nats.url, RECONCILER_PERIOD_SECONDS: 'often' });
    children.push(child);
    assert.equal(await exitCode(child), 2);
    assert.match(output(), /RECONCILER_PERIOD_SECONDS/);
  });
});
