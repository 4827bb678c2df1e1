import { invalidArgument, type AttachAccess, type VolumeMode } from '@rds-csi/contracts';
import type { AccessModeName, VolumeCapability } from '@rds-csi/csi-spec';

/** Filesystems the node plugin can create and mount. */
export const SUPPORTED_FS_TYPES = ['ext4', 'xfs', 'ext3'] as const;
export const DEFAULT_FS_TYPE = 'ext4';

const SINGLE_NODE_MODES: readonly AccessModeName[] = [
  'SINGLE_NODE_WRITER',
  'SINGLE_NODE_READER_ONLY',
  'SINGLE_NODE_SINGLE_WRITER',
  'SINGLE_NODE_MULTI_WRITER',
];

export interface AccessRequest {
  volumeMode: VolumeMode;
  access: AttachAccess;
  /** The filesystem for mount access ('' when the CO left it to the driver); undefined for block access. */
  fsType: string | undefined;
}

/**
 * The access-mode matrix. Single-node modes work for filesystem and block volumes; MULTI_NODE_MULTI_WRITER only for
 * block volumes (KubeVirt live migration: a filesystem mounted on two nodes at once would be corrupted); the
 * multi-node reader modes are not offered. Returns why a capability is unsupported, or the access it asks for.
 */
export function checkCapability(capability: VolumeCapability | null): AccessRequest | { problem: string } {
  if (!capability) return { problem: 'a volume capability is required' };
  const mode = capability.access_mode?.mode;
  if (mode === undefined) return { problem: 'volume capability access_mode is required' };
  if (capability.access_type !== 'block' && capability.access_type !== 'mount') {
    return { problem: 'volume capability must set block or mount access' };
  }
  const volumeMode: VolumeMode = capability.access_type === 'block' ? 'block' : 'filesystem';
  const fsType = capability.mount?.fs_type;
  if (fsType && !(SUPPORTED_FS_TYPES as readonly string[]).includes(fsType)) {
    return {
      problem: `fs_type ${JSON.stringify(fsType)} is not supported (use one of ${SUPPORTED_FS_TYPES.join(', ')})`,
    };
  }
  if (typeof mode === 'string' && SINGLE_NODE_MODES.includes(mode))
    return { volumeMode, access: 'single-node', fsType };
  if (mode === 'MULTI_NODE_MULTI_WRITER' && volumeMode === 'block')
    return { volumeMode, access: 'multi-node', fsType };
  if (mode === 'MULTI_NODE_MULTI_WRITER') {
    return { problem: 'MULTI_NODE_MULTI_WRITER is supported for block volumes only' };
  }
  return { problem: `access mode ${String(mode)} is not supported` };
}

/** The access a capability asks for; an unsupported or malformed capability is INVALID_ARGUMENT. */
export function requireCapability(capability: VolumeCapability | null, field: string): AccessRequest {
  const checked = checkCapability(capability);
  if ('problem' in checked) throw invalidArgument(`${field}: ${checked.problem}`);
  return checked;
}

/** Checks a non-empty list of capabilities (CreateVolume, ValidateVolumeCapabilities); returns the first problem. */
export function firstCapabilityProblem(capabilities: readonly VolumeCapability[]): string | undefined {
  if (capabilities.length === 0) return 'volume_capabilities is required';
  for (const [i, capability] of capabilities.entries()) {
    const checked = checkCapability(capability);
    if ('problem' in checked) return `volume_capabilities[${i}]: ${checked.problem}`;
  }
  return undefined;
}
