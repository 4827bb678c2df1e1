import { lstat, mkdir, rmdir, unlink } from 'node:fs/promises';
import { failedPrecondition, thrownCode } from '@rds-csi/contracts';
import type { DeviceNumber } from './mountinfo.js';
import { decodeDevT } from './sysfs.js';

export type PathKind =
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'block'; device: DeviceNumber; mode: number }
  | { kind: 'file'; size: number }
  | { kind: 'other' };

/** What is at `path`, without following a final symlink. */
export async function inspectPath(path: string): Promise<PathKind> {
  try {
    const info = await lstat(path, { bigint: true });
    if (info.isDirectory()) return { kind: 'directory' };
    if (info.isBlockDevice())
      return { kind: 'block', device: decodeDevT(info.rdev), mode: Number(info.mode & 0o777n) };
    if (info.isFile()) return { kind: 'file', size: Number(info.size) };
    return { kind: 'other' };
  } catch (err) {
    if (thrownCode(err) === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
}

export async function ensureDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o750 });
}

/**
 * Removes a publish target once nothing is mounted there: a device node or empty file is unlinked, an empty
 * directory removed. Anything with content is left alone (and reported): it is data, not ours to delete.
 */
export async function removeTarget(path: string): Promise<void> {
  const target = await inspectPath(path);
  try {
    if (target.kind === 'directory') await rmdir(path);
    else if (target.kind === 'block' || (target.kind === 'file' && target.size === 0)) await unlink(path);
    else if (target.kind !== 'missing') throw failedPrecondition(`${path} holds data; refusing to delete it`);
  } catch (err) {
    const code = thrownCode(err);
    if (code === 'ENOENT') return;
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw failedPrecondition(`${path} is not empty; refusing to delete it`);
    throw err;
  }
}
