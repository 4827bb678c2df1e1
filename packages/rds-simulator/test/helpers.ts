import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Client } from 'ssh2';
import {
  RdsSimulator,
  fingerprintOf,
  generateKeyPair,
  type KeyPair,
  type RdsSimulatorOptions,
} from '../src/index.js';

/** Registers cleanup the way node:test does (`t.after` in a test, `after` at suite level). */
export type Cleanup = (fn: () => Promise<void> | void) => void;

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | undefined;
}

export interface Harness {
  simulator: RdsSimulator;
  dataDir: string;
  key: KeyPair;
  /** A new SSH connection (closed by the cleanup). */
  connect: () => Promise<Client>;
  /** Runs one command line on a new exec channel of one shared connection. */
  exec: (command: string) => Promise<ExecResult>;
}

export const VOLUME = 'pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f';
export const BASE = '/storage-pool/metal-csi';
export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

/** The driver's create command for volume `id`. */
export function createVolumeCommand(id: string, size: string): string {
  return (
    `/disk add type=file file-path=${BASE}/${id}.img file-size=${size} slot=${id} nvme-tcp-export=yes ` +
    `nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:${id}`
  );
}

/** The driver's snapshot command: a copy of `source` without export. */
export function snapshotCommand(snapshotId: string, source: string): string {
  return `/disk add type=file file-path=${BASE}/${snapshotId}.img copy-from=[find slot=${source}] slot=${snapshotId}`;
}

/** A temporary directory removed by `cleanup`. */
export async function temporaryDirectory(cleanup: Cleanup): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rds-sim-test-'));
  cleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts a simulator in a fresh temporary data directory. One cleanup closes the clients, stops the simulator and
 * then removes the directory, in that order, even when the test failed.
 */
export async function startHarness(
  cleanup: Cleanup,
  options: Partial<RdsSimulatorOptions> = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rds-sim-test-'));
  const clients: Client[] = [];
  const started: { simulator?: RdsSimulator } = {};
  cleanup(async () => {
    for (const client of clients) client.destroy();
    await started.simulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const key = generateKeyPair();
  const simulator = await RdsSimulator.start({ dataDir, authorizedKeys: [key.publicKey], ...options });
  started.simulator = simulator;
  const connect = async (): Promise<Client> => {
    const client = await connectClient(simulator, key.privateKey);
    clients.push(client);
    return client;
  };
  let shared: Promise<Client> | undefined;
  const exec = async (command: string): Promise<ExecResult> => {
    shared ??= connect();
    return execCommand(await shared, command);
  };
  return { simulator, dataDir, key, connect, exec };
}

/** Opens an SSH connection that pins the simulator's host key by fingerprint. Callers close it. */
export function connectClient(
  simulator: RdsSimulator,
  privateKey: string,
  password?: string,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    // Fault tests drop connections on purpose; a connection error after ready must not crash the test process.
    client.on('error', () => undefined);
    client.once('ready', () => resolve(client));
    client.once('error', (err) => {
      client.destroy();
      reject(err);
    });
    client.connect({
      host: simulator.host,
      port: simulator.port,
      username: 'admin',
      ...(password === undefined ? { privateKey } : { password }),
      readyTimeout: 30_000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === simulator.hostKeyFingerprint,
    });
  });
}

export function execCommand(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | undefined;
      stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      stream.on('exit', (exitCode: number | null) => (code = exitCode ?? undefined));
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

/** Resolves when the client's connection is gone (closed by either side). */
export function closed(client: Client): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}
