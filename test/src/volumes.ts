import { randomUUID } from 'node:crypto';
import type { CsiClient, Input, Volume, VolumeCapability } from '@rds-csi/csi-spec';

export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

export const fsCapability = (fsType = 'ext4', mode = 'SINGLE_NODE_WRITER'): Input<VolumeCapability> =>
  ({ mount: { fs_type: fsType }, access_mode: { mode } }) as Input<VolumeCapability>;

export const blockCapability = (mode = 'SINGLE_NODE_WRITER'): Input<VolumeCapability> =>
  ({ block: {}, access_mode: { mode } }) as Input<VolumeCapability>;

/** CreateVolume as the external-provisioner sends it: the PV name as the request name. */
export async function createVolume(
  csi: CsiClient,
  sizeBytes: number,
  capability: Input<VolumeCapability> = fsCapability(),
  parameters: Record<string, string> = {},
): Promise<Volume> {
  const { volume } = await csi.controller.CreateVolume({
    name: `pvc-${randomUUID()}`,
    capacity_range: { required_bytes: sizeBytes },
    volume_capabilities: [capability],
    parameters,
  });
  if (!volume) throw new Error('CreateVolume returned no volume');
  return volume;
}

/** ControllerPublishVolume as the external-attacher sends it. */
export function publish(
  csi: CsiClient,
  volume: Volume,
  nodeId: string,
  capability: Input<VolumeCapability> = fsCapability(),
) {
  return csi.controller.ControllerPublishVolume({
    volume_id: volume.volume_id,
    node_id: nodeId,
    volume_capability: capability,
    volume_context: volume.volume_context,
  });
}

export function unpublish(csi: CsiClient, volume: Volume, nodeId: string) {
  return csi.controller.ControllerUnpublishVolume({ volume_id: volume.volume_id, node_id: nodeId });
}

/** The gRPC status code of a rejected call (undefined when it succeeded). */
export async function grpcCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNAVAILABLE: 14,
} as const;
