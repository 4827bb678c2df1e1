import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { failedPrecondition, errorMessage } from '@rds-csi/contracts';
import { formatDevice, parseDeviceNumber, sameDevice, type DeviceNumber } from './mountinfo.js';

/** A block device as the kernel describes it. */
export interface BlockDevice extends DeviceNumber {
  /** Kernel name, e.g. nvme3n1. */
  name: string;
  /** Its device node, e.g. /dev/nvme3n1. */
  path: string;
  /** Its sysfs directory (size, ro, holders/). */
  sysfsDir: string;
}

export interface NvmeController {
  name: string;
  /** live, connecting, resetting, deleting, ... */
  state: string;
  transport: string;
  address: string;
}

export interface NvmeSubsystem {
  name: string;
  nqn: string;
  controllers: NvmeController[];
  /** Namespace block devices, lowest namespace ID first. */
  namespaces: BlockDevice[];
}

const CONTROLLER_ENTRY = /^nvme\d+$/;
/** A namespace head (native multipath) or a namespace of a controller (multipath off); nvmeXcYnZ paths are hidden. */
const NAMESPACE_ENTRY = /^nvme\d+n(\d+)$/;

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return [];
  }
}

/** Decodes a Linux dev_t (as from stat's rdev) into major:minor. */
export function decodeDevT(rdev: bigint): DeviceNumber {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

const namespaceId = (name: string): number =>
  Number(NAMESPACE_ENTRY.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER);

/**
 * Reads NVMe subsystems, controllers and namespaces from sysfs. The root is injectable: tests point it at the tree
 * the loop connector maintains, production at /sys. Nothing is cached — controller and device numbers change
 * after reconnects, so every question is answered from the current tree.
 */
export class NvmeSysfs {
  constructor(
    readonly root = '/sys',
    readonly devRoot = '/dev',
  ) {}

  private get subsystemsDir(): string {
    return join(this.root, 'class', 'nvme-subsystem');
  }

  async listSubsystems(): Promise<NvmeSubsystem[]> {
    const names = await listDir(this.subsystemsDir);
    const subsystems = await Promise.all(names.map((name) => this.readSubsystem(name)));
    return subsystems.filter((s): s is NvmeSubsystem => s !== undefined);
  }

  async findSubsystem(nqn: string): Promise<NvmeSubsystem | undefined> {
    return (await this.listSubsystems()).find((subsystem) => subsystem.nqn === nqn);
  }

  /** The block device of an NQN's (first) namespace, looked up afresh; undefined when there is none now. */
  async resolveDevice(nqn: string): Promise<BlockDevice | undefined> {
    return (await this.findSubsystem(nqn))?.namespaces[0];
  }

  /** The NQN whose namespace is this device, if any (e.g. to find what a mount is backed by). */
  async nqnOfDevice(device: DeviceNumber): Promise<string | undefined> {
    const subsystems = await this.listSubsystems();
    return subsystems.find((s) => s.namespaces.some((ns) => sameDevice(ns, device)))?.nqn;
  }

  async sizeBytes(device: BlockDevice): Promise<number> {
    const sectors = await readText(join(device.sysfsDir, 'size'));
    if (sectors === undefined || !/^\d+$/.test(sectors))
      throw failedPrecondition(`cannot read the size of ${device.name}`);
    return Number(sectors) * 512;
  }

  async isReadOnly(device: BlockDevice): Promise<boolean> {
    return (await readText(join(device.sysfsDir, 'ro'))) === '1';
  }

  /** Devices stacked on this one (device-mapper, md, ...): while any exist the device is in use. */
  async holders(device: BlockDevice): Promise<string[]> {
    return listDir(join(device.sysfsDir, 'holders'));
  }

  /**
   * Checks that the device node really is this device before anything writes to it: a stale or hand-made node
   * with other numbers must never be formatted or mounted.
   */
  async verifyDeviceNode(device: BlockDevice): Promise<void> {
    let rdev: bigint;
    try {
      const info = await stat(device.path, { bigint: true });
      if (!info.isBlockDevice()) throw new Error('not a block device');
      rdev = info.rdev;
    } catch (err) {
      throw failedPrecondition(`device node ${device.path} is unusable: ${errorMessage(err)}`);
    }
    const found = decodeDevT(rdev);
    if (!sameDevice(found, device)) {
      throw failedPrecondition(
        `device node ${device.path} is ${formatDevice(found)}, sysfs says ${formatDevice(device)}`,
      );
    }
  }

  private async readSubsystem(name: string): Promise<NvmeSubsystem | undefined> {
    const dir = join(this.subsystemsDir, name);
    const nqn = await readText(join(dir, 'subsysnqn'));
    if (!nqn) return undefined;
    const entries = await listDir(dir);
    const controllerNames = entries.filter((entry) => CONTROLLER_ENTRY.test(entry));
    const controllers = await Promise.all(
      controllerNames.map((entry) => this.readController(join(dir, entry), entry)),
    );
    let namespaces = await this.readNamespaces(dir, entries);
    if (namespaces.length === 0) {
      // Without native multipath the namespaces live under their controller.
      for (const controller of controllerNames) {
        const controllerDir = join(dir, controller);
        namespaces = namespaces.concat(
          await this.readNamespaces(controllerDir, await listDir(controllerDir)),
        );
      }
    }
    namespaces.sort((a, b) => namespaceId(a.name) - namespaceId(b.name));
    return { name, nqn, controllers, namespaces };
  }

  private async readController(dir: string, name: string): Promise<NvmeController> {
    const [state, transport, address] = await Promise.all(
      ['state', 'transport', 'address'].map(async (file) => (await readText(join(dir, file))) ?? ''),
    );
    return { name, state: state ?? '', transport: transport ?? '', address: address ?? '' };
  }

  private async readNamespaces(dir: string, entries: readonly string[]): Promise<BlockDevice[]> {
    const found = await Promise.all(
      entries
        .filter((entry) => NAMESPACE_ENTRY.test(entry))
        .map((entry) => this.readBlockDevice(join(dir, entry), entry)),
    );
    return found.filter((device): device is BlockDevice => device !== undefined);
  }

  private async readBlockDevice(sysfsDir: string, entry: string): Promise<BlockDevice | undefined> {
    const number = parseDeviceNumber((await readText(join(sysfsDir, 'dev'))) ?? '');
    if (!number) return undefined;
    const uevent = (await readText(join(sysfsDir, 'uevent'))) ?? '';
    const name = /^DEVNAME=(.+)$/m.exec(uevent)?.[1]?.trim() || entry;
    return { ...number, name, path: join(this.devRoot, name), sysfsDir };
  }
}
