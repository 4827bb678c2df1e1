/**
 * Configuration of the simulator process (bin/rds-simulator.ts): environment variables, `--name=value` arguments,
 * and JSON control lines on stdin that switch faults while it runs.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RdsSimulator, RdsSimulatorOptions } from './simulator.js';
import { parseSize } from './sizes.js';

export interface ProcessConfig {
  options: RdsSimulatorOptions;
  /** Faults switched on right after start. */
  startupFaults: {
    failNext?: { count: number; message: string; exitCode: number };
    hang: boolean;
    diskFull: boolean;
  };
}

/** `--pool-size=10G` becomes `RDS_SIM_POOL_SIZE=10G`; arguments override the environment. */
export function argumentsToEnv(args: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const arg of args) {
    const match = /^--([a-z0-9-]+)=(.*)$/s.exec(arg);
    if (!match?.[1]) throw new Error(`unrecognised argument ${arg} (expected --name=value)`);
    env[`RDS_SIM_${match[1].toUpperCase().replaceAll('-', '_')}`] = match[2] ?? '';
  }
  return env;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function processConfigFromEnv(env: Env): Promise<ProcessConfig> {
  const dataDir = required(env, 'RDS_SIM_DATA_DIR');
  const keysFile = required(env, 'RDS_SIM_AUTHORIZED_KEYS_FILE');
  const authorizedKeys = (await readFile(keysFile, 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const options: RdsSimulatorOptions = {
    dataDir,
    authorizedKeys,
    port: integer(env, 'RDS_SIM_PORT', 0, 65535),
    host: env.RDS_SIM_HOST,
    hostKeyPath: env.RDS_SIM_HOST_KEY_PATH,
    username: env.RDS_SIM_USERNAME,
    password: env.RDS_SIM_PASSWORD,
    poolSizeBytes: size(env, 'RDS_SIM_POOL_SIZE'),
    basePath: env.RDS_SIM_BASE_PATH,
    wrapColumn: integer(env, 'RDS_SIM_WRAP_COLUMN', 40, 1000),
    latencyMs: integer(env, 'RDS_SIM_LATENCY_MS', 0, 3_600_000),
    jitterMs: integer(env, 'RDS_SIM_JITTER_MS', 0, 3_600_000),
    nvmeTcpPrint: yesNo(env, 'RDS_SIM_NVME_TCP_PRINT'),
    lineEnding: yesNo(env, 'RDS_SIM_CRLF') ? '\r\n' : '\n',
  };
  const failCount = integer(env, 'RDS_SIM_FAIL_NEXT', 0, 1_000_000) ?? 0;
  const failNext =
    failCount > 0
      ? {
          count: failCount,
          message: env.RDS_SIM_FAIL_MESSAGE ?? 'failure: injected',
          exitCode: integer(env, 'RDS_SIM_FAIL_EXIT_CODE', 0, 255) ?? 0,
        }
      : undefined;
  const startupFaults = {
    failNext,
    hang: yesNo(env, 'RDS_SIM_HANG') ?? false,
    diskFull: yesNo(env, 'RDS_SIM_DISK_FULL') ?? false,
  };
  return { options, startupFaults };
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer ${min}..${max}`);
  return value;
}

function size(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  return parseSize(text) ?? failConfig(`${name} must be a size like 10995116277760, 500G or 10T`);
}

function yesNo(env: Env, name: string): boolean | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (['1', 'yes', 'true'].includes(text)) return true;
  if (['0', 'no', 'false'].includes(text)) return false;
  return failConfig(`${name} must be yes or no`);
}

function failConfig(message: string): never {
  throw new Error(message);
}

const bytes = z.number().int().nonnegative();

const controlSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('setLatency'),
    latencyMs: z.number().nonnegative(),
    jitterMs: z.number().nonnegative().optional(),
  }),
  z.object({
    action: z.literal('failNext'),
    count: z.number().int().nonnegative(),
    message: z.string(),
    exitCode: z.number().int().min(0).max(255).optional(),
  }),
  z.object({ action: z.literal('setHang'), hang: z.boolean() }),
  z.object({ action: z.literal('setPoolSize'), bytes: bytes.positive() }),
  z.object({ action: z.literal('setFreeBytes'), bytes }),
  z.object({ action: z.literal('diskFull') }),
  z.object({ action: z.literal('refuseConnections') }),
  z.object({ action: z.literal('start') }),
  z.object({ action: z.literal('dropConnections') }),
  z.object({ action: z.literal('restart') }),
  z.object({ action: z.literal('clearFaults') }),
]);

export type ControlCommand = z.infer<typeof controlSchema>;

/** Parses one JSON control line (`{"action":"setHang","hang":true}`); throws with a readable message if invalid. */
export function parseControlLine(line: string): ControlCommand {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error('control line is not JSON');
  }
  const result = controlSchema.safeParse(json);
  if (!result.success) throw new Error(`invalid control line: ${z.prettifyError(result.error)}`);
  return result.data;
}

export async function applyControl(simulator: RdsSimulator, command: ControlCommand): Promise<void> {
  const { faults } = simulator;
  switch (command.action) {
    case 'setLatency':
      return faults.setLatency(command.latencyMs, command.jitterMs);
    case 'failNext':
      return faults.failNext(command.count, command.message, command.exitCode);
    case 'setHang':
      return faults.setHang(command.hang);
    case 'setPoolSize':
      return faults.setPoolSize(command.bytes);
    case 'setFreeBytes':
      return faults.setFreeBytes(command.bytes);
    case 'diskFull':
      return faults.diskFull();
    case 'refuseConnections':
      return faults.refuseConnections();
    case 'start':
      return simulator.start();
    case 'dropConnections':
      return faults.dropConnections();
    case 'restart':
      return simulator.restart();
    case 'clearFaults':
      return faults.clear();
  }
}
