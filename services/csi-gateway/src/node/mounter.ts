import { runChecked, type CommandRunner } from './exec.js';
import { readMountInfo, type DeviceNumber, type MountEntry } from './mountinfo.js';

/** Mount-table reads and mount/umount/mknod commands, all through the command runner (with its timeouts). */
export class Mounter {
  constructor(
    private readonly runner: CommandRunner,
    private readonly mountInfoPath: string,
    private readonly timeoutMs: number,
  ) {}

  /** The current mount table, read afresh. */
  table(): Promise<MountEntry[]> {
    return readMountInfo(this.mountInfoPath);
  }

  async mount(source: string, target: string, fsType: string, options: readonly string[]): Promise<void> {
    const optionArgs = options.length > 0 ? ['-o', options.join(',')] : [];
    await runChecked(this.runner, 'mount', ['-t', fsType, ...optionArgs, source, target], {
      timeoutMs: this.timeoutMs,
    });
  }

  /**
   * Bind-mounts `source` at `target`; read-only takes a second, remount step (a bind mount ignores "ro" on
   * older kernels). When that step fails the bind mount is undone, so no writable mount is left behind.
   */
  async bind(source: string, target: string, readOnly: boolean): Promise<void> {
    await runChecked(this.runner, 'mount', ['--bind', source, target], { timeoutMs: this.timeoutMs });
    if (!readOnly) return;
    try {
      await runChecked(this.runner, 'mount', ['-o', 'remount,bind,ro', target], {
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      await this.unmount(target);
      throw err;
    }
  }

  /** Unmounts the top mount at `target`. `lazy` detaches a mount whose device is gone without waiting on it. */
  async unmount(target: string, lazy = false): Promise<void> {
    await runChecked(this.runner, 'umount', lazy ? ['-l', target] : [target], { timeoutMs: this.timeoutMs });
  }

  /** Creates a block device node (mode 0660, or 0440 when read-only). */
  async makeBlockNode(path: string, device: DeviceNumber, readOnly: boolean): Promise<void> {
    const mode = readOnly ? '0440' : '0660';
    await runChecked(
      this.runner,
      'mknod',
      ['-m', mode, path, 'b', String(device.major), String(device.minor)],
      {
        timeoutMs: this.timeoutMs,
      },
    );
  }
}
