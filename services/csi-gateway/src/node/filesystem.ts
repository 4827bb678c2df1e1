import { setTimeout as sleep } from 'node:timers/promises';
import { RdsCsiError, failedPrecondition, internalError } from '@rds-csi/contracts';
import { runChecked, type CommandResult, type CommandRunner } from './exec.js';
import type { Filesystem } from './volume-request.js';

/**
 * What `blkid -p` says about a device. Only `empty` allows formatting; everything else either is data
 * (`filesystem`, `occupied`) or might be (`ambiguous`), and data is never formatted.
 */
export type BlkidVerdict =
  | { kind: 'empty' }
  | { kind: 'filesystem'; type: string }
  | { kind: 'occupied'; detail: string }
  | { kind: 'ambiguous'; detail: string };

/** blkid's exit codes (blkid(8)). */
const BLKID_NOTHING_FOUND = 2;
const BLKID_AMBIVALENT = 8;

function parseExport(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

/** Interprets one `blkid -p -o export <device>` run. Pure. */
export function interpretBlkid(result: Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'>): BlkidVerdict {
  const stdout = result.stdout.trim();
  const stderr = result.stderr.trim();
  if (result.exitCode === BLKID_NOTHING_FOUND) {
    // "Nothing found" is only believed when blkid said nothing else at all.
    return stdout === '' && stderr === ''
      ? { kind: 'empty' }
      : { kind: 'ambiguous', detail: `exit 2 with output: ${stderr || stdout}` };
  }
  if (result.exitCode === BLKID_AMBIVALENT)
    return { kind: 'occupied', detail: 'several conflicting signatures' };
  if (result.exitCode !== 0) {
    const status = result.exitCode === null ? 'was killed' : `exited with ${result.exitCode}`;
    return { kind: 'ambiguous', detail: `blkid ${status}${stderr ? `: ${stderr}` : ''}` };
  }
  const values = parseExport(stdout);
  const type = values.get('TYPE');
  const usage = values.get('USAGE');
  if (type && (usage === undefined || usage === 'filesystem')) return { kind: 'filesystem', type };
  if (type) return { kind: 'occupied', detail: `${type} (${usage})` };
  const partitionTable = values.get('PTTYPE');
  if (partitionTable) return { kind: 'occupied', detail: `a ${partitionTable} partition table` };
  return { kind: 'ambiguous', detail: `blkid found something unrecognised: ${stdout.slice(0, 200)}` };
}

export interface FilesystemOptions {
  /** blkid attempts before an ambiguous answer is final. */
  probeAttempts: number;
  probeRetryDelayMs: number;
  commandTimeoutMs: number;
  mkfsTimeoutMs: number;
  resizeTimeoutMs: number;
}

/** mkfs arguments. Discard is skipped: the volumes are fresh sparse files, and discarding a large one takes long. */
const MKFS_ARGS: Readonly<Record<Filesystem, string[]>> = {
  ext4: ['-E', 'nodiscard'],
  ext3: ['-E', 'nodiscard'],
  xfs: ['-K'],
};

export class FilesystemTools {
  constructor(
    private readonly runner: CommandRunner,
    private readonly options: FilesystemOptions,
  ) {}

  /**
   * Probes the device until blkid gives a definite answer. A definite answer of "occupied" or an answer that stays
   * ambiguous is an error: the caller must then neither format nor mount.
   */
  async probe(devicePath: string): Promise<{ kind: 'empty' } | { kind: 'filesystem'; type: string }> {
    let detail = 'not probed';
    for (let attempt = 1; attempt <= this.options.probeAttempts; attempt++) {
      const verdict = await this.probeOnce(devicePath);
      if (verdict.kind === 'empty' || verdict.kind === 'filesystem') return verdict;
      if (verdict.kind === 'occupied') {
        throw failedPrecondition(
          `${devicePath} holds ${verdict.detail}, not a supported filesystem; refusing to format it`,
        );
      }
      detail = verdict.detail;
      if (attempt < this.options.probeAttempts) await sleep(this.options.probeRetryDelayMs);
    }
    throw internalError(`cannot tell whether ${devicePath} holds data (${detail}); refusing to format it`);
  }

  async format(devicePath: string, fsType: Filesystem): Promise<void> {
    await runChecked(this.runner, `mkfs.${fsType}`, [...MKFS_ARGS[fsType], devicePath], {
      timeoutMs: this.options.mkfsTimeoutMs,
    });
  }

  /** Grows a mounted filesystem to its device: ext* by device, xfs by mount point. */
  async grow(fsType: string, devicePath: string, mountPoint: string): Promise<void> {
    const timeoutMs = this.options.resizeTimeoutMs;
    if (fsType === 'xfs') await runChecked(this.runner, 'xfs_growfs', ['-d', mountPoint], { timeoutMs });
    else if (fsType === 'ext4' || fsType === 'ext3')
      await runChecked(this.runner, 'resize2fs', [devicePath], { timeoutMs });
    else throw failedPrecondition(`cannot grow a ${fsType} filesystem`);
  }

  private async probeOnce(devicePath: string): Promise<BlkidVerdict> {
    try {
      const result = await this.runner.run('blkid', ['-p', '-o', 'export', devicePath], {
        timeoutMs: this.options.commandTimeoutMs,
      });
      return interpretBlkid(result);
    } catch (err) {
      if (err instanceof RdsCsiError) return { kind: 'ambiguous', detail: err.message };
      throw err;
    }
  }
}
