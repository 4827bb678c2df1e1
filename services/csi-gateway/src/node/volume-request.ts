/**
 * Validation of everything a Node RPC receives, before anything touches the node. Pure: no I/O. Every value that
 * later reaches a command line (addresses, NQNs, paths, mount flags) is checked against a whitelist here.
 */
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { NQN_MAX_LENGTH, NQN_PATTERN, VOLUME_ID_PATTERN, invalidArgument } from '@rds-csi/contracts';
import type {
  AccessModeName,
  NodePublishVolumeRequest,
  NodeStageVolumeRequest,
  StringMap,
  VolumeCapability,
} from '@rds-csi/csi-spec';

/** Volume-context keys (shared with the Go driver, so its PVs keep working). */
export const VOLUME_CONTEXT_KEYS = {
  address: 'nvmeAddress',
  port: 'nvmePort',
  nqn: 'nqn',
  ctrlLossTmo: 'ctrlLossTmo',
  reconnectDelay: 'reconnectDelay',
  keepAliveTmo: 'keepAliveTmo',
  fsType: 'csi.storage.k8s.io/fstype',
} as const;

/** Publish-context keys set by ControllerPublishVolume; they reflect the controller's current view. */
export const PUBLISH_CONTEXT_KEYS = {
  address: 'nvme_address',
  port: 'nvme_port',
  nqn: 'nvme_nqn',
  fsType: 'fs_type',
} as const;

export const DEFAULT_NVME_PORT = 4420;

export const FILESYSTEMS = ['ext4', 'ext3', 'xfs'] as const;
export type Filesystem = (typeof FILESYSTEMS)[number];
export const DEFAULT_FILESYSTEM: Filesystem = 'ext4';

export interface NvmeTarget {
  nqn: string;
  address: string;
  port: number;
  /** Seconds the kernel keeps trying to reconnect a lost controller; -1 = forever. */
  ctrlLossTmo: number;
  reconnectDelay: number;
  /** 0 = the kernel default. */
  keepAliveTmo: number;
}

export type VolumeAccess =
  | { kind: 'block'; mode: AccessModeName; readOnly: boolean }
  | {
      kind: 'mount';
      mode: AccessModeName;
      readOnly: boolean;
      /** undefined: nothing requested — use the filesystem present, or format with the default. */
      fsType: Filesystem | undefined;
      /** Validated flags, one per element. May carry sensitive data: never log them. */
      mountFlags: string[];
    };

const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function requireVolumeId(volumeId: string): string {
  if (!volumeId) throw invalidArgument('volume_id is required');
  if (volumeId.length > 63 || !VOLUME_ID_PATTERN.test(volumeId)) {
    throw invalidArgument(
      `volume_id ${JSON.stringify(volumeId.slice(0, 80))} is not a volume of this driver`,
    );
  }
  return volumeId;
}

/** An absolute, normalised path without surprises; the CO creates these under its own directory. */
export function requirePath(value: string, field: string): string {
  if (!value) throw invalidArgument(`${field} is required`);
  if (value.length > 4096 || value.includes('\0')) throw invalidArgument(`${field} is not a valid path`);
  if (!posix.isAbsolute(value) || posix.normalize(value) !== value || value === '/' || value.endsWith('/')) {
    throw invalidArgument(`${field} must be an absolute, normalised path`);
  }
  return value;
}

/** An NQN the node plugin may connect and disconnect: well-formed and under the managed prefix. */
export function requireManagedNqn(nqn: string, managedPrefix: string): string {
  if (nqn.length > NQN_MAX_LENGTH || !NQN_PATTERN.test(nqn))
    throw invalidArgument(`NQN ${JSON.stringify(nqn)} is malformed`);
  if (!isManagedNqn(nqn, managedPrefix)) {
    throw invalidArgument(`NQN ${nqn} is not under the managed prefix ${managedPrefix}`);
  }
  return nqn;
}

export const isManagedNqn = (nqn: string, managedPrefix: string): boolean =>
  nqn.startsWith(managedPrefix) && nqn.length > managedPrefix.length && NQN_PATTERN.test(nqn);

export function requireAddress(address: string): string {
  if (isIP(address)) return address;
  const labels = address.split('.');
  if (address.length <= 253 && labels.every((label) => HOSTNAME_LABEL.test(label))) return address;
  throw invalidArgument(
    `${VOLUME_CONTEXT_KEYS.address} ${JSON.stringify(address)} is neither an IP address nor a host name`,
  );
}

function integerOption(
  value: string | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?\d{1,10}$/.test(value))
    throw invalidArgument(`${key} must be an integer, got ${JSON.stringify(value)}`);
  const parsed = Number(value);
  if (parsed < min || parsed > max)
    throw invalidArgument(`${key} must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

function pick(
  primary: StringMap,
  primaryKey: string,
  secondary: StringMap,
  secondaryKey: string,
): string | undefined {
  return primary[primaryKey] || secondary[secondaryKey] || undefined;
}

/**
 * The NVMe/TCP target of a volume. The publish context (the controller's current view) wins for address and port;
 * the NQN is the volume's identity, so the two contexts must not disagree about it.
 */
export function parseNvmeTarget(
  volumeContext: StringMap,
  publishContext: StringMap,
  managedPrefix: string,
): NvmeTarget {
  const k = VOLUME_CONTEXT_KEYS;
  const p = PUBLISH_CONTEXT_KEYS;
  const publishedNqn = publishContext[p.nqn];
  const contextNqn = volumeContext[k.nqn];
  if (publishedNqn && contextNqn && publishedNqn !== contextNqn) {
    throw invalidArgument(`publish_context ${p.nqn} and volume_context ${k.nqn} name different NQNs`);
  }
  const nqn = publishedNqn || contextNqn;
  if (!nqn) throw invalidArgument(`volume_context.${k.nqn} is required`);
  const address = pick(publishContext, p.address, volumeContext, k.address);
  if (!address) throw invalidArgument(`volume_context.${k.address} is required`);
  return {
    nqn: requireManagedNqn(nqn, managedPrefix),
    address: requireAddress(address),
    port: integerOption(
      pick(publishContext, p.port, volumeContext, k.port),
      k.port,
      DEFAULT_NVME_PORT,
      1,
      65535,
    ),
    ctrlLossTmo: integerOption(volumeContext[k.ctrlLossTmo], k.ctrlLossTmo, -1, -1, 31_536_000),
    reconnectDelay: integerOption(volumeContext[k.reconnectDelay], k.reconnectDelay, 5, 1, 3600),
    keepAliveTmo: integerOption(volumeContext[k.keepAliveTmo], k.keepAliveTmo, 0, 0, 3600),
  };
}

const READ_ONLY_MODES: readonly AccessModeName[] = ['SINGLE_NODE_READER_ONLY', 'MULTI_NODE_READER_ONLY'];
const SINGLE_NODE_MODES: readonly AccessModeName[] = [
  'SINGLE_NODE_WRITER',
  'SINGLE_NODE_READER_ONLY',
  'SINGLE_NODE_SINGLE_WRITER',
  'SINGLE_NODE_MULTI_WRITER',
];
/** Several nodes writing one filesystem would corrupt it; only raw block devices may be shared (live migration). */
const BLOCK_ONLY_MODES: readonly AccessModeName[] = ['MULTI_NODE_MULTI_WRITER', 'MULTI_NODE_SINGLE_WRITER'];

function accessMode(capability: VolumeCapability, block: boolean): AccessModeName {
  const mode = capability.access_mode?.mode;
  if (typeof mode !== 'string' || mode === 'UNKNOWN')
    throw invalidArgument('volume_capability.access_mode is required');
  if (SINGLE_NODE_MODES.includes(mode) || READ_ONLY_MODES.includes(mode)) return mode;
  if (BLOCK_ONLY_MODES.includes(mode) && block) return mode;
  throw invalidArgument(`access mode ${mode} is not supported for ${block ? 'block' : 'filesystem'} volumes`);
}

export function parseFilesystem(value: string | undefined): Filesystem | undefined {
  if (!value) return undefined;
  const fs = FILESYSTEMS.find((name) => name === value.toLowerCase());
  if (!fs)
    throw invalidArgument(
      `filesystem ${JSON.stringify(value)} is not supported (use ${FILESYSTEMS.join(', ')})`,
    );
  return fs;
}

/**
 * How the volume is accessed. `readonlyRequest` is NodePublishVolume's `readonly`; read-only access modes force
 * read-only access whatever it says.
 */
export function parseVolumeAccess(
  capability: VolumeCapability | null,
  volumeContext: StringMap,
  publishContext: StringMap,
  readonlyRequest = false,
): VolumeAccess {
  if (!capability) throw invalidArgument('volume_capability is required');
  const block =
    capability.access_type === 'block' || (capability.block !== undefined && capability.block !== null);
  const mount = capability.mount ?? undefined;
  if (!block && !mount) throw invalidArgument('volume_capability must be block or mount');
  const mode = accessMode(capability, block);
  const readOnly = readonlyRequest || READ_ONLY_MODES.includes(mode);
  if (block) return { kind: 'block', mode, readOnly };
  const requested =
    mount?.fs_type ||
    volumeContext[VOLUME_CONTEXT_KEYS.fsType] ||
    publishContext[PUBLISH_CONTEXT_KEYS.fsType];
  return {
    kind: 'mount',
    mode,
    readOnly,
    fsType: parseFilesystem(requested),
    mountFlags: validateMountFlags(mount?.mount_flags ?? []),
  };
}

const PLAIN_MOUNT_FLAGS = new Set([
  'ro',
  'rw',
  'noatime',
  'relatime',
  'strictatime',
  'nodiratime',
  'lazytime',
  'nolazytime',
  'nodev',
  'nosuid',
  'noexec',
  'sync',
  'async',
  'dirsync',
  'discard',
  'nodiscard',
  'noquota',
  'quota',
  'usrquota',
  'grpquota',
  'prjquota',
  'uquota',
  'gquota',
  'pquota',
  'inode64',
  'inode32',
  'largeio',
  'nolargeio',
  'nouuid',
  'user_xattr',
  'acl',
]);

const VALUED_MOUNT_FLAGS: ReadonlyMap<string, RegExp> = new Map([
  ['data', /^(ordered|journal|writeback)$/],
  ['commit', /^\d{1,5}$/],
  ['errors', /^(remount-ro|continue)$/],
  ['logbufs', /^\d$/],
  ['logbsize', /^\d{1,6}k?$/],
  ['allocsize', /^\d{1,9}[kmg]?$/],
  ['stripe', /^\d{1,9}$/],
]);

/**
 * Mount flags from the capability, split on commas and checked against a whitelist: anything that changes what is
 * mounted or how (bind, remount, loop, offset, context=...) is refused. Error messages do not echo the flag value,
 * because the spec allows mount flags to carry secrets.
 */
export function validateMountFlags(flags: readonly string[]): string[] {
  const result: string[] = [];
  for (const [index, entry] of flags.entries()) {
    for (const flag of entry
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)) {
      const [name = '', value] = flag.split(/=(.*)/s, 2);
      const allowed =
        value === undefined
          ? PLAIN_MOUNT_FLAGS.has(name)
          : VALUED_MOUNT_FLAGS.get(name)?.test(value) === true;
      if (!allowed) throw invalidArgument(`mount flag #${index + 1} is not allowed`);
      result.push(flag);
    }
  }
  return result;
}

/** What stage and publish both validate: the volume, how it is accessed and where its NVMe/TCP target is. */
export function parseAttachRequest(
  request: NodeStageVolumeRequest | NodePublishVolumeRequest,
  managedNqnPrefix: string,
): { volumeId: string; access: VolumeAccess; target: NvmeTarget } {
  const { volume_capability: capability, volume_context: context, publish_context: published } = request;
  return {
    volumeId: requireVolumeId(request.volume_id),
    access: parseVolumeAccess(capability, context, published),
    target: parseNvmeTarget(context, published, managedNqnPrefix),
  };
}
