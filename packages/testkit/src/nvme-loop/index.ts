import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { RdsCsiError } from '@rds-csi/contracts';

const execFileAsync = promisify(execFile);

/** What a connect needs to name its target (a superset, such as the node plugin's NvmeTarget, is accepted). */
export interface LoopNvmeTarget {
  nqn: string;
  address: string;
  port: number;
}

export interface LoopNvmeOptions {
  /**
   * The backing file a connect from this host reaches — the RDS simulator keeps one sparse file per disk and
   * refuses hosts off a disk's allow-list (`RdsSimulator.nvmeConnect`). Undefined means the connect is refused (no
   * such export, or this host is not admitted) and fails like the kernel's refused connect (UNAVAILABLE). May throw.
   */
  backingFile: (target: LoopNvmeTarget, hostNqn: string) => string | undefined | Promise<string | undefined>;
  /** This host's NQN (what /etc/nvme/hostnqn holds on a real node); default one per fabric. */
  hostNqn?: string;
  /** Root of the sysfs-like tree; default a new temporary directory, removed by cleanup(). */
  sysfsRoot?: string;
  /** Where the kernel's own block device directories are (to link namespaces to); default /sys/class/block. */
  kernelBlockClass?: string;
}

interface Connection {
  target: LoopNvmeTarget;
  /** The subsystem, controller and namespace numbers (one each, like a single-path connect). */
  instance: number;
  /** Undefined for a controller without a namespace. */
  loopDevice: string | undefined;
  /** The target dropped the connection and refuses this host: the controller keeps reconnecting, in vain. */
  refused?: boolean;
}

export interface FabricCall {
  op: 'connect' | 'disconnect' | 'rescan' | 'export-stopped';
  nqn: string;
}

let fabricCount = 0;

const COMMAND_TIMEOUT_MS = 30_000;

/** Every fabric still holding loop devices; detached synchronously if the test process exits without cleanup. */
const live = new Set<LoopNvmeFabric>();
process.on('exit', () => {
  for (const fabric of live) fabric.detachAllSync();
});

async function losetup(args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('losetup', [...args], { timeout: COMMAND_TIMEOUT_MS });
  return stdout.trim();
}

/**
 * A test NVMe/TCP connector for the node plugin: "connecting" an NQN attaches its backing file to a loop device and
 * writes a sysfs-like tree that the production sysfs resolver reads unchanged:
 *
 *   <root>/class/nvme-subsystem/nvme-subsys<I>/subsysnqn
 *   <root>/class/nvme-subsystem/nvme-subsys<I>/nvme<I>/{state,transport,address}     (controller)
 *   <root>/class/nvme-subsystem/nvme-subsys<I>/nvme<I>n1 -> /sys/devices/.../loop<N> (namespace head)
 *
 * The namespace is a link to the loop device's real sysfs directory, so its `dev`, `size`, `ro`, `holders/` and
 * `uevent` (DEVNAME=loop<N>) are the kernel's own and stay live. The instance number <I> grows with every connect,
 * as the kernel's subsystem and controller numbers do. Everything it made is tracked; cleanup() detaches all of it,
 * and a process 'exit' hook detaches what a crashed test left.
 */
export class LoopNvmeFabric {
  /** Every call made, for assertions such as "never disconnected". */
  readonly calls: FabricCall[] = [];
  private readonly connections = new Map<string, Connection>();
  /** Every loop device attached by this fabric and not yet detached by it. */
  private readonly attached = new Set<string>();
  private nextInstance = 0;
  readonly hostNqn: string;

  private constructor(
    readonly sysfsRoot: string,
    private readonly ownsRoot: boolean,
    private readonly options: LoopNvmeOptions,
  ) {
    fabricCount += 1;
    this.hostNqn =
      options.hostNqn ??
      `nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-${String(fabricCount).padStart(12, '0')}`;
  }

  static async create(options: LoopNvmeOptions): Promise<LoopNvmeFabric> {
    const root = options.sysfsRoot ?? (await mkdtemp(join(tmpdir(), 'rdscsi-sysfs-')));
    await mkdir(join(root, 'class', 'nvme-subsystem'), { recursive: true });
    const fabric = new LoopNvmeFabric(root, options.sysfsRoot === undefined, options);
    live.add(fabric);
    return fabric;
  }

  /** Connects like `nvme connect`; connecting a connected NQN is a no-op (nvme-cli says "already connected"). */
  async connect(target: LoopNvmeTarget): Promise<void> {
    this.calls.push({ op: 'connect', nqn: target.nqn });
    const existing = this.connections.get(target.nqn);
    if (existing && !existing.refused) return;
    const file = await this.admittedFile(target);
    if (existing) await this.removeSubsystem(existing);
    await this.writeSubsystem(target, await this.attach(file));
  }

  /**
   * The target stopped exporting `nqn` (a re-export after an allow-list change): every connection to it dropped.
   * The controller reconnects at once (ctrl-loss-tmo=-1); if this host is still admitted it gets its device back
   * unchanged, as the kernel's reconnect keeps the namespace; otherwise the namespace is gone, the loop device is
   * detached (deferred by the kernel while mounted) and the controller stays `connecting`, refused on every try.
   */
  async exportStopped(nqn: string): Promise<void> {
    this.calls.push({ op: 'export-stopped', nqn });
    const connection = this.connections.get(nqn);
    if (!connection || connection.refused) return;
    if (await this.options.backingFile(connection.target, this.hostNqn)) return;
    const dir = this.subsystemDir(connection.instance);
    await rm(join(dir, `nvme${connection.instance}n1`), { force: true });
    await writeFile(join(dir, `nvme${connection.instance}`, 'state'), 'connecting\n');
    if (connection.loopDevice) await this.detach(connection.loopDevice);
    connection.loopDevice = undefined;
    connection.refused = true;
  }

  /** Whether the target dropped this host's connection to `nqn` and refuses it since. */
  isRefused(nqn: string): boolean {
    return this.connections.get(nqn)?.refused === true;
  }

  /** Disconnects like `nvme disconnect -n`: detaches the loop device (deferred by the kernel while it is mounted). */
  async disconnect(nqn: string): Promise<void> {
    this.calls.push({ op: 'disconnect', nqn });
    const connection = this.connections.get(nqn);
    if (!connection) return;
    await this.removeSubsystem(connection);
    if (connection.loopDevice) await this.detach(connection.loopDevice);
  }

  /** Re-reads the backing file's size, as a namespace rescan after an expansion would (`losetup -c`). */
  async rescan(nqn: string): Promise<void> {
    this.calls.push({ op: 'rescan', nqn });
    const loopDevice = this.connections.get(nqn)?.loopDevice;
    if (loopDevice) await losetup(['--set-capacity', loopDevice]);
  }

  /**
   * Simulates a controller reconnect that renumbers the device: the NQN moves to a new subsystem, controller and loop
   * device. The new loop is attached before the old one is detached, so the numbers always differ. The old loop
   * lives on (autoclear) while something still has it mounted, as a dead NVMe device would.
   */
  async renumber(nqn: string): Promise<{ before: string; after: string }> {
    const connection = this.connections.get(nqn);
    if (!connection?.loopDevice) throw new Error(`${nqn} is not connected with a namespace`);
    const before = connection.loopDevice;
    const after = await this.attach(await this.loopBackingFile(before));
    await this.removeSubsystem(connection);
    await this.detach(before);
    await this.writeSubsystem(connection.target, after);
    return { before, after };
  }

  /** Adds a connected controller without a namespace, as a crash between connect and namespace scan leaves. */
  async addControllerWithoutNamespace(target: LoopNvmeTarget): Promise<void> {
    if (this.connections.has(target.nqn)) throw new Error(`${target.nqn} is already connected`);
    await this.writeSubsystem(target, undefined);
  }

  /** Takes the namespace away (the device is gone) while the controller stays, as during a long reconnect. */
  async removeNamespace(nqn: string): Promise<void> {
    const connection = this.connections.get(nqn);
    if (!connection?.loopDevice) throw new Error(`${nqn} has no namespace`);
    await rm(join(this.subsystemDir(connection.instance), `nvme${connection.instance}n1`), { force: true });
    await this.detach(connection.loopDevice);
    connection.loopDevice = undefined;
  }

  /** The loop device currently standing in for the NQN's namespace. */
  loopDevice(nqn: string): string | undefined {
    return this.connections.get(nqn)?.loopDevice;
  }

  connectedNqns(): string[] {
    return [...this.connections.keys()];
  }

  /** Detaches every loop device this fabric attached and removes its tree. Safe to call more than once. */
  async cleanup(): Promise<void> {
    for (const connection of [...this.connections.values()]) await this.removeSubsystem(connection);
    for (const loopDevice of [...this.attached]) await this.detach(loopDevice).catch(() => undefined);
    if (this.ownsRoot) await rm(this.sysfsRoot, { recursive: true, force: true });
    live.delete(this);
  }

  /** The exit-hook variant of cleanup: synchronous, loop devices only. */
  detachAllSync(): void {
    for (const loopDevice of this.attached) {
      try {
        execFileSync('losetup', ['--detach', loopDevice], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
      } catch {
        // best effort at exit
      }
    }
    this.attached.clear();
  }

  private async admittedFile(target: LoopNvmeTarget): Promise<string> {
    const file = await this.options.backingFile(target, this.hostNqn);
    if (!file) {
      throw new RdsCsiError(
        'UNAVAILABLE',
        `nvme connect to ${target.address}:${target.port} (${target.nqn}) from ${this.hostNqn}: refused (no such subsystem, or host not allowed)`,
      );
    }
    return file;
  }

  private async attach(file: string): Promise<string> {
    const loopDevice = await losetup(['--find', '--show', file]);
    if (!/^\/dev\/loop\d+$/.test(loopDevice))
      throw new Error(`losetup returned ${JSON.stringify(loopDevice)}`);
    this.attached.add(loopDevice);
    return loopDevice;
  }

  private async detach(loopDevice: string): Promise<void> {
    await losetup(['--detach', loopDevice]);
    this.attached.delete(loopDevice);
  }

  private async loopBackingFile(loopDevice: string): Promise<string> {
    return losetup(['--list', '--noheadings', '--output', 'BACK-FILE', loopDevice]);
  }

  private subsystemDir(instance: number): string {
    return join(this.sysfsRoot, 'class', 'nvme-subsystem', `nvme-subsys${instance}`);
  }

  private async writeSubsystem(target: LoopNvmeTarget, loopDevice: string | undefined): Promise<void> {
    const instance = this.nextInstance++;
    const dir = this.subsystemDir(instance);
    const controllerDir = join(dir, `nvme${instance}`);
    await mkdir(controllerDir, { recursive: true });
    await writeFile(join(dir, 'subsysnqn'), `${target.nqn}\n`);
    await writeFile(join(controllerDir, 'state'), 'live\n');
    await writeFile(join(controllerDir, 'transport'), 'tcp\n');
    await writeFile(join(controllerDir, 'address'), `traddr=${target.address},trsvcid=${target.port}\n`);
    if (loopDevice) {
      const kernelDir = await realpath(
        join(this.options.kernelBlockClass ?? '/sys/class/block', basename(loopDevice)),
      );
      await symlink(kernelDir, join(dir, `nvme${instance}n1`));
    }
    this.connections.set(target.nqn, { target, instance, loopDevice });
  }

  private async removeSubsystem(connection: Connection): Promise<void> {
    await rm(this.subsystemDir(connection.instance), { recursive: true, force: true });
    this.connections.delete(connection.target.nqn);
  }
}
