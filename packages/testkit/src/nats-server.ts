import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const CANDIDATES = [
  process.env.NATS_SERVER_BIN,
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

/** Servers still running when the test process exits are killed, so a crashed test leaves no nats-server behind. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function natsServerBinary(): string {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!found)
    throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  return found;
}

export interface NatsServerOptions {
  jetstream?: boolean;
  /** Extra lines for the server config file (e.g. accounts/authorization blocks). */
  extraConfig?: string;
  /** Bytes; 1 MiB (the deploy/ setting) unless a test wants small pages. */
  maxPayload?: number;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** A JetStream store that outlives the server (the local stack's); default: inside its temporary directory. */
  storeDir?: string;
}

/**
 * A real nats-server on a free port with its own temporary JetStream store. `stop` and `start` keep the port and
 * the store, so tests can take NATS away and bring it back as an outage would.
 */
export class NatsServerHandle {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly configFile: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  static async start(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-nats-'));
    const port = options.port ?? (await freePort());
    const configFile = join(dir, 'nats.conf');
    const maxPayload = options.maxPayload ?? 1024 * 1024;
    const lines = [`listen: 127.0.0.1:${port}`, `server_name: test_${port}`, `max_payload: ${maxPayload}`];
    const storeDir = options.storeDir ?? join(dir, 'js');
    if (options.jetstream ?? true) lines.push(`jetstream { store_dir: "${storeDir}" }`);
    if (options.extraConfig) lines.push(options.extraConfig);
    await writeFile(configFile, lines.join('\n') + '\n');
    const handle = new NatsServerHandle(port, dir, configFile);
    await handle.start();
    return handle;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(natsServerBinary(), ['-c', this.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    this.child = child;
    live.add(child);
    child.once('exit', () => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
    await waitFor(() => this.child === child && canConnect(this.port), {
      timeoutMs: 15_000,
      message: `nats-server on port ${this.port} (stderr: ${stderr})`,
    });
  }

  /** Stops the server (SIGTERM, then SIGKILL) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Kills the server (SIGKILL: no shutdown, as a crashed pod or machine) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and deletes its store. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export const startNatsServer = (options?: NatsServerOptions): Promise<NatsServerHandle> =>
  NatsServerHandle.start(options);
