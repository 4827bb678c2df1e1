import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { RdsCsiError, type ErrorCode } from '@rds-csi/contracts';

/** Every external program the node plugin runs. Commands are referred to by these names only. */
export const NODE_TOOLS = [
  'nvme',
  'blkid',
  'mkfs.ext4',
  'mkfs.ext3',
  'mkfs.xfs',
  'mount',
  'umount',
  'resize2fs',
  'xfs_growfs',
  'mknod',
] as const;
export type NodeTool = (typeof NODE_TOOLS)[number];

/** Without these the plugin cannot stage any volume, so the node-mode Probe reports not ready. */
export const REQUIRED_TOOLS: readonly NodeTool[] = ['nvme', 'blkid', 'mkfs.ext4', 'mount', 'umount'];

export interface CommandResult {
  command: string;
  args: readonly string[];
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  /** Overrides the runner's default timeout for this call. */
  timeoutMs?: number;
}

/**
 * Runs one external command with an argument array (never a shell). Resolves with the result whatever the exit
 * code; rejects only when the command could not run (UNAVAILABLE) or outlived its timeout (DEADLINE_EXCEEDED) —
 * in both cases with an RdsCsiError that carries the captured output.
 */
export interface CommandRunner {
  run(command: NodeTool, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export type CommandOutcome = 'ok' | 'failed' | 'timeout' | 'spawn_error';

export interface CommandRunnerOptions {
  defaultTimeoutMs?: number;
  /** Absolute paths for some tools (tests put fakes here); other tools are looked up in PATH. */
  paths?: Partial<Record<NodeTool, string>>;
  /** Called once per command, for metrics. */
  onComplete?: (command: NodeTool, outcome: CommandOutcome, durationMs: number) => void;
}

/** Output kept per stream; enough for any parsed output (blkid, nvme), bounded so a chatty tool cannot grow memory. */
const MAX_CAPTURE_BYTES = 256 * 1024;
/** Output quoted in an error message. */
const ERROR_OUTPUT_CHARS = 1000;
/** After SIGKILL of the process group, how long to wait for the exit event before giving up on it. */
const KILL_GRACE_MS = 2_000;

class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  push(chunk: Buffer): void {
    const room = MAX_CAPTURE_BYTES - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.truncated ||= kept.length < chunk.length;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8') + (this.truncated ? '\n[output truncated]' : '');
  }
}

/** The part of a command's output worth quoting in an error: stderr first, the tail of it, bounded. */
export function outputExcerpt(result: Pick<CommandResult, 'stdout' | 'stderr'>): string {
  const text = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join(' | ');
  return text.length > ERROR_OUTPUT_CHARS ? '…' + text.slice(-ERROR_OUTPUT_CHARS) : text;
}

function describe(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/** An RdsCsiError for a command that ran and failed, quoting its exit status and output. */
export function commandFailed(
  result: CommandResult,
  code: ErrorCode = 'INTERNAL',
  what?: string,
): RdsCsiError {
  const status =
    result.exitCode === null ? `signal ${result.signal ?? 'unknown'}` : `exit code ${result.exitCode}`;
  const excerpt = outputExcerpt(result);
  const subject = what ?? describe(result.command, result.args);
  return new RdsCsiError(code, `${subject} failed (${status})${excerpt ? `: ${excerpt}` : ''}`);
}

/** Runs a command and rejects with `commandFailed` unless it exits 0. */
export async function runChecked(
  runner: CommandRunner,
  command: NodeTool,
  args: readonly string[],
  options: RunOptions & { errorCode?: ErrorCode } = {},
): Promise<CommandResult> {
  const result = await runner.run(command, args, options);
  if (result.exitCode !== 0) throw commandFailed(result, options.errorCode);
  return result;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // The child leads its own process group, so helpers it started (a shell's `sleep`) die with it.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function createCommandRunner(options: CommandRunnerOptions = {}): CommandRunner {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  return {
    run(command, args, runOptions = {}) {
      const timeoutMs = runOptions.timeoutMs ?? defaultTimeoutMs;
      const executable = options.paths?.[command] ?? command;
      const started = performance.now();
      const finish = (outcome: CommandOutcome): number => {
        const durationMs = performance.now() - started;
        options.onComplete?.(command, outcome, durationMs);
        return durationMs;
      };
      return new Promise<CommandResult>((resolve, reject) => {
        const child = spawn(executable, [...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
          // Messages are classified by their text, so they must not be translated.
          env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        });
        const stdout = new BoundedBuffer();
        const stderr = new BoundedBuffer();
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        let timedOut = false;
        let settled = false;
        const settle = (action: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          action();
        };
        const timer = setTimeout(() => {
          timedOut = true;
          killGroup(child.pid);
          // A process stuck in the kernel (D state) may not exit at once; the caller is not kept waiting for it.
          setTimeout(() => settle(timeoutRejection), KILL_GRACE_MS).unref();
        }, timeoutMs);
        const timeoutRejection = (): void => {
          finish('timeout');
          const excerpt = outputExcerpt({ stdout: stdout.text(), stderr: stderr.text() });
          reject(
            new RdsCsiError(
              'DEADLINE_EXCEEDED',
              `${describe(command, args)} timed out after ${timeoutMs} ms and was killed${excerpt ? `: ${excerpt}` : ''}`,
            ),
          );
        };
        child.once('error', (err: NodeJS.ErrnoException) =>
          settle(() => {
            finish('spawn_error');
            const reason =
              err.code === 'ENOENT' ? 'is not installed' : `could not be started (${err.message})`;
            reject(new RdsCsiError('UNAVAILABLE', `${executable} ${reason}`, { cause: err }));
          }),
        );
        child.once('close', (exitCode, signal) =>
          settle(() => {
            if (timedOut) return timeoutRejection();
            const durationMs = finish(exitCode === 0 ? 'ok' : 'failed');
            resolve({
              command,
              args,
              exitCode,
              signal,
              stdout: stdout.text(),
              stderr: stderr.text(),
              durationMs,
            });
          }),
        );
      });
    },
  };
}

/** Whether `name` (or its configured path) is an executable file, looked up like a shell would. */
async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tools of `tools` that cannot be found, honouring the configured paths. */
export async function missingTools(
  tools: readonly NodeTool[],
  paths: Partial<Record<NodeTool, string>> = {},
  searchPath: string = process.env.PATH ?? '',
): Promise<NodeTool[]> {
  const dirs = searchPath.split(delimiter).filter(Boolean);
  const missing: NodeTool[] = [];
  for (const tool of tools) {
    const configured = paths[tool];
    const candidates = configured ? [configured] : dirs.map((dir) => join(dir, tool));
    let found = false;
    for (const candidate of candidates) {
      if (await isExecutable(candidate)) {
        found = true;
        break;
      }
    }
    if (!found) missing.push(tool);
  }
  return missing;
}
