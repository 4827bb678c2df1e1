/**
 * Sparse backing files, one per RouterOS file, under `<root>/<RouterOS file name>`. Node-side tests attach them
 * with losetup, so the data is real: snapshots and clones copy it.
 */
import { execFile } from 'node:child_process';
import { mkdir, open, rm, stat, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class BackingStorage {
  constructor(private readonly root: string) {}

  /** Local path of a RouterOS file name; names are validated by the caller (no `.`/`..`/empty segments). */
  pathOf(name: string): string {
    return join(this.root, name);
  }

  /** Creates an empty sparse file of `size` bytes (a leftover local file the state does not know is replaced). */
  async create(name: string, size: number): Promise<void> {
    const path = this.pathOf(name);
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'w');
    try {
      await handle.truncate(size);
    } finally {
      await handle.close();
    }
  }

  /**
   * Copies `from` into a new file `to` of at least the source size, keeping holes. `cp --sparse=always` (reflink when
   * the filesystem can) is used because fs.copyFile writes every hole out as zeros (seconds and gigabytes per copy).
   */
  async copy(from: string, to: string, size: number): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true });
    await run('cp', ['--sparse=always', '--reflink=auto', '--', this.pathOf(from), target]);
    await truncate(target, size);
  }

  async resize(name: string, size: number): Promise<void> {
    await truncate(this.pathOf(name), size);
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  /** Last modification time, as `/file print` shows it; undefined if the backing file is gone. */
  async modifiedAt(name: string): Promise<Date | undefined> {
    try {
      return (await stat(this.pathOf(name))).mtime;
    } catch {
      return undefined;
    }
  }
}
