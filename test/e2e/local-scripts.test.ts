/**
 * The local tools an operator runs first, as they run them: `npm start` (the real npm process, signalled as a
 * terminal or a supervisor would) and `npm run req`. Every process of the stack must end with it, nats-server and its
 * temporary directory included; the state persists or resets as a whole.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { freePort, waitFor } from '@rds-csi/testkit';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'bus-request.ts');
const CLI = join(ROOT, 'packages', 'cli', 'src', 'main.ts');

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCRIPT, ...args],
      { env: { ...process.env, ...env } },
      (err, _o, stderr) => resolve({ code: typeof err?.code === 'number' ? err.code : 0, stderr }),
    );
  });
}

describe('npm run req', () => {
  it('takes the subject as the docs print it and prints one line when no NATS answers', async () => {
    const { code, stderr } = await run(['rdscsi.attach.list'], {
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    });
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^UNAVAILABLE: cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+/);
  });

  it('names the subjects it knows for an unknown one', async () => {
    const { code, stderr } = await run(['rdscsi.no.such'], {});
    assert.equal(code, 2);
    assert.match(stderr, /rdscsi\.attach\.list/);
  });
});

/** `ps` of every process below `pid`, from /proc: pid and command line. */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (p: number): number[] =>
    [...parents].filter(([, parent]) => parent === p).flatMap(([child]) => [child, ...below(child)]);
  return below(pid).map((p) => {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      // gone meanwhile
    }
    return { pid: p, cmdline };
  });
}

/** Processes whose command line or environment names `dir` (the stack's state directory): npm, tsx, services. */
function referencing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return ['cmdline', 'environ'].some((file) =>
          readFileSync(`/proc/${entry}/${file}`, 'utf8').includes(dir),
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Four consecutive free ports, for the services' metrics (`--metrics-port` is the first). */
async function freePortRun(): Promise<number> {
  for (;;) {
    const base = await freePort();
    const free = await Promise.all([1, 2, 3].map((i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** This environment less node:test's own variables: a process that inherits them reports to the test runner. */
function outsideTheTestRunner(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NODE_TEST_')));
}

interface NpmStart {
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
  natsUrl: string;
  dir: string;
}

async function npmStart(
  dir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<NpmStart> {
  const natsPort = await freePort();
  const child = spawn(
    'npm',
    [
      'start',
      '--',
      '--dir',
      dir,
      '--nats-port',
      String(natsPort),
      '--metrics-port',
      String(await freePortRun()),
      ...args,
    ],
    { cwd: ROOT, env: { ...outsideTheTestRunner(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited, natsUrl: `nats://127.0.0.1:${natsPort}`, dir };
}

/** The stack's processes once it runs: npm's whole tree, the four services and nats-server among them. */
async function whenRunning(npm: NpmStart): Promise<{ pid: number; cmdline: string }[]> {
  // A start that ends or stalls fails with the stack's own last lines (which service, which wait), not only a timeout.
  const running = waitFor(() => npm.output().includes('==> rds-csi is running'), {
    timeoutMs: 120_000,
    message: 'npm start running',
  });
  const ended = npm.exited.then(() => {
    throw new Error(`npm start exited (${npm.child.exitCode ?? npm.child.signalCode}) before running`);
  });
  await Promise.race([running, ended]).catch((err: Error) => {
    throw new Error(`${err.message}; its last lines:\n${npm.output().split('\n').slice(-40).join('\n')}`);
  });
  const tree = descendants(npm.child.pid!);
  for (const service of ['rds-connector', 'node-watcher', 'reconciler', 'csi-gateway'])
    assert.ok(
      tree.some((p) => p.cmdline.includes(`services/${service}/`)),
      `${service} runs below npm: ${JSON.stringify(tree)}`,
    );
  assert.ok(
    tree.some((p) => p.cmdline.includes('nats-server')),
    'nats-server runs below npm',
  );
  return tree;
}

/** After `signal` to npm: every process that ran below it ends, and nats-server's temporary directory is gone. */
async function assertAllStop(
  npm: NpmStart,
  tree: { pid: number; cmdline: string }[],
  signal: NodeJS.Signals,
) {
  const natsDir = /-c (\S+)\/nats\.conf/.exec(
    tree.find((p) => p.cmdline.includes('nats-server'))!.cmdline,
  )![1]!;
  assert.ok(existsSync(natsDir));
  npm.child.kill(signal);
  await npm.exited;
  await waitFor(() => tree.every((p) => !alive(p.pid)), {
    timeoutMs: 30_000,
    message: `every process of the stack gone after ${signal}: ${JSON.stringify(tree.filter((p) => alive(p.pid)))}`,
  });
  assert.equal(existsSync(natsDir), false, `${natsDir} removed`);
  assert.deepEqual(referencing(npm.dir), [], 'no process left that names the state directory');
}

async function rdscsi(natsUrl: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    CLI,
    '--server',
    natsUrl,
    '--json',
    ...args,
  ]);
  return JSON.parse(stdout);
}

const counts = async (natsUrl: string) => ({
  volumes: ((await rdscsi(natsUrl, 'volumes')) as { volumes: unknown[] }).volumes.length,
  attachments: ((await rdscsi(natsUrl, 'attachments')) as { attachments: unknown[] }).attachments.length,
});

describe('npm start', { timeout: 600_000 }, () => {
  const dirs: string[] = [];
  const stacks: NpmStart[] = [];
  const stateDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-local-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (...args: Parameters<typeof npmStart>) => {
    const npm = await npmStart(...args);
    stacks.push(npm);
    return npm;
  };
  after(async () => {
    for (const npm of stacks) {
      if (npm.child.exitCode === null && npm.child.signalCode === null) npm.child.kill('SIGTERM');
      await npm.exited;
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  let dir: string;
  it('stops every process on SIGINT to npm, and a normal start logs no warning', async () => {
    dir = await stateDir();
    const npm = await start(dir);
    const tree = await whenRunning(npm);
    const warnings = npm
      .output()
      .split('\n')
      .filter((line) => /\] (WARN|ERROR|FATAL) /.test(line));
    // The one warning is the walk-through's deliberate publish of the volume to a second node, which the fence refuses.
    assert.deepEqual(
      warnings.map((line) => /\] (?:WARN|ERROR|FATAL) ([^{]*)/.exec(line)![1]!.trim()),
      ['attachment request refused'],
      warnings.join('\n'),
    );
    assert.deepEqual(await counts(npm.natsUrl), { volumes: 1, attachments: 1 });
    await assertAllStop(npm, tree, 'SIGINT');
  });

  it('stops every process on SIGTERM to npm; the RDS volumes and their attachments persist together', async () => {
    const npm = await start(dir);
    const tree = await whenRunning(npm);
    assert.deepEqual(await counts(npm.natsUrl), { volumes: 2, attachments: 2 });
    await assertAllStop(npm, tree, 'SIGTERM');
  });

  it('stops every process on SIGHUP to npm; --reset starts over, volumes and attachments together', async () => {
    const npm = await start(dir, ['--reset']);
    const tree = await whenRunning(npm);
    assert.deepEqual(await counts(npm.natsUrl), { volumes: 1, attachments: 1 });
    await assertAllStop(npm, tree, 'SIGHUP');
  });

  it('ends at once with the error of a service that dies at start, in one line, leaving no process', async () => {
    const npm = await start(await stateDir(), [], { RECONCILER_NOT_READY_GRACE_SECONDS: 'soon' });
    await npm.exited;
    assert.equal(npm.child.exitCode, 1, npm.output());
    const error = npm
      .output()
      .split('\n')
      .filter((line) => line.startsWith('error: '));
    assert.equal(error.length, 1, npm.output());
    assert.match(error[0]!, /^error: reconciler exited \(code \d+\) during start-up: FATAL /);
    assert.doesNotMatch(npm.output(), /^\s+at /m, 'no stack trace');
    const dir = dirs[dirs.length - 1]!;
    await waitFor(() => referencing(dir).length === 0, {
      timeoutMs: 30_000,
      message: 'no process of the stack left',
    });
  });

  it('refuses a port in use in one line, starting nothing', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)),
    );
    try {
      const npm = await start(await stateDir(), ['--nats-port', String(port)]);
      await npm.exited;
      assert.equal(npm.child.exitCode, 1);
      assert.match(npm.output(), new RegExp(`^error: port ${port} \\(NATS\\) is in use`, 'm'));
    } finally {
      busy.close();
    }
  });
});
