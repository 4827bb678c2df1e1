/**
 * TypeScript shapes of the CSI v1 messages, generated from proto/csi.proto by `proto-loader-gen-types` into
 * src/generated (`npm run generate -w @rds-csi/csi-spec`; a test fails when the checked-in files are stale). This
 * file only names them. The generator runs with the loader's own options (LOADER_OPTIONS), so a message type is what
 * the loader decodes:
 * - field names are the proto names (keepCase);
 * - every scalar, repeated and map field is present, with its proto3 default when unset (defaults);
 * - a message-typed field is `null` when unset;
 * - int64 arrives as a decimal string (longs: String), so sizes above 2^53 are never silently rounded;
 * - enums arrive as their value name; proto3 enums are open, so a value the proto does not know arrives as its
 *   number, which the generated types do not list: code that branches on an enum keeps a default;
 * - a set oneof member also names itself in a virtual field (oneofs), e.g. `access_type: 'mount'`.
 * What a sender may pass is looser (optional fields, int64 as number or string): `Input<T>`.
 */
import type { MessageTypeDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/csi.js';
import type { _csi_v1_ControllerServiceCapability_RPC_Type } from './generated/csi/v1/ControllerServiceCapability.js';
import type { _csi_v1_ListVolumesResponse_VolumeStatus } from './generated/csi/v1/ListVolumesResponse.js';
import type { _csi_v1_NodeServiceCapability_RPC_Type } from './generated/csi/v1/NodeServiceCapability.js';
import type {
  _csi_v1_PluginCapability_Service_Type,
  _csi_v1_PluginCapability_VolumeExpansion_Type,
} from './generated/csi/v1/PluginCapability.js';
import type {
  _csi_v1_VolumeCapability_AccessMode_Mode,
  _csi_v1_VolumeCapability_BlockVolume,
  _csi_v1_VolumeCapability_MountVolume,
} from './generated/csi/v1/VolumeCapability.js';
import type { _csi_v1_VolumeUsage_Unit } from './generated/csi/v1/VolumeUsage.js';

type Csi = ProtoGrpcType['csi']['v1'];
type Wkt = ProtoGrpcType['google']['protobuf'];
type MessageName = {
  [K in keyof Csi]: Csi[K] extends MessageTypeDefinition<object, object> ? K : never;
}[keyof Csi];
type Decoded<D> = D extends MessageTypeDefinition<object, infer O> ? O : never;
type Encodable<D> = D extends MessageTypeDefinition<infer I, object> ? I : never;

/**
 * What a sender may pass for the message type `T` (the generator's `__Input` type of the same message): any field
 * may be omitted, int64 may be a number, an enum may be its number.
 */
export type Input<T> = {
  [K in MessageName]: [T] extends [Decoded<Csi[K]>]
    ? [Decoded<Csi[K]>] extends [T]
      ? Encodable<Csi[K]>
      : never
    : never;
}[MessageName];

/** A decimal int64 as the loader decodes it, e.g. "1073741824". */
export type Int64 = string;

export type StringMap = Record<string, string>;

export type BoolValue = Decoded<Wkt['BoolValue']>;
export type Int64Value = Decoded<Wkt['Int64Value']>;
export type Timestamp = Decoded<Wkt['Timestamp']>;

// Nested messages and enums, under the names the code uses.
export type AccessModeName = _csi_v1_VolumeCapability_AccessMode_Mode;
export type MountVolume = _csi_v1_VolumeCapability_MountVolume;
export type BlockVolume = _csi_v1_VolumeCapability_BlockVolume;
export type PluginServiceType = _csi_v1_PluginCapability_Service_Type;
export type VolumeExpansionType = _csi_v1_PluginCapability_VolumeExpansion_Type;
export type ControllerRpcType = _csi_v1_ControllerServiceCapability_RPC_Type;
export type NodeRpcType = _csi_v1_NodeServiceCapability_RPC_Type;
export type VolumeStatus = _csi_v1_ListVolumesResponse_VolumeStatus;
export type VolumeUsageUnit = _csi_v1_VolumeUsage_Unit;

// The csi.v1 messages, under their proto names.
export type CapacityRange = Decoded<Csi['CapacityRange']>;
export type ControllerExpandVolumeRequest = Decoded<Csi['ControllerExpandVolumeRequest']>;
export type ControllerExpandVolumeResponse = Decoded<Csi['ControllerExpandVolumeResponse']>;
export type ControllerGetCapabilitiesRequest = Decoded<Csi['ControllerGetCapabilitiesRequest']>;
export type ControllerGetCapabilitiesResponse = Decoded<Csi['ControllerGetCapabilitiesResponse']>;
export type ControllerGetVolumeRequest = Decoded<Csi['ControllerGetVolumeRequest']>;
export type ControllerGetVolumeResponse = Decoded<Csi['ControllerGetVolumeResponse']>;
export type ControllerModifyVolumeRequest = Decoded<Csi['ControllerModifyVolumeRequest']>;
export type ControllerModifyVolumeResponse = Decoded<Csi['ControllerModifyVolumeResponse']>;
export type ControllerPublishVolumeRequest = Decoded<Csi['ControllerPublishVolumeRequest']>;
export type ControllerPublishVolumeResponse = Decoded<Csi['ControllerPublishVolumeResponse']>;
export type ControllerServiceCapability = Decoded<Csi['ControllerServiceCapability']>;
export type ControllerUnpublishVolumeRequest = Decoded<Csi['ControllerUnpublishVolumeRequest']>;
export type ControllerUnpublishVolumeResponse = Decoded<Csi['ControllerUnpublishVolumeResponse']>;
export type CreateSnapshotRequest = Decoded<Csi['CreateSnapshotRequest']>;
export type CreateSnapshotResponse = Decoded<Csi['CreateSnapshotResponse']>;
export type CreateVolumeRequest = Decoded<Csi['CreateVolumeRequest']>;
export type CreateVolumeResponse = Decoded<Csi['CreateVolumeResponse']>;
export type DeleteSnapshotRequest = Decoded<Csi['DeleteSnapshotRequest']>;
export type DeleteSnapshotResponse = Decoded<Csi['DeleteSnapshotResponse']>;
export type DeleteVolumeRequest = Decoded<Csi['DeleteVolumeRequest']>;
export type DeleteVolumeResponse = Decoded<Csi['DeleteVolumeResponse']>;
export type GetCapacityRequest = Decoded<Csi['GetCapacityRequest']>;
export type GetCapacityResponse = Decoded<Csi['GetCapacityResponse']>;
export type GetPluginCapabilitiesRequest = Decoded<Csi['GetPluginCapabilitiesRequest']>;
export type GetPluginCapabilitiesResponse = Decoded<Csi['GetPluginCapabilitiesResponse']>;
export type GetPluginInfoRequest = Decoded<Csi['GetPluginInfoRequest']>;
export type GetPluginInfoResponse = Decoded<Csi['GetPluginInfoResponse']>;
export type GetSnapshotRequest = Decoded<Csi['GetSnapshotRequest']>;
export type GetSnapshotResponse = Decoded<Csi['GetSnapshotResponse']>;
export type ListSnapshotsRequest = Decoded<Csi['ListSnapshotsRequest']>;
export type ListSnapshotsResponse = Decoded<Csi['ListSnapshotsResponse']>;
export type ListVolumesRequest = Decoded<Csi['ListVolumesRequest']>;
export type ListVolumesResponse = Decoded<Csi['ListVolumesResponse']>;
export type NodeExpandVolumeRequest = Decoded<Csi['NodeExpandVolumeRequest']>;
export type NodeExpandVolumeResponse = Decoded<Csi['NodeExpandVolumeResponse']>;
export type NodeGetCapabilitiesRequest = Decoded<Csi['NodeGetCapabilitiesRequest']>;
export type NodeGetCapabilitiesResponse = Decoded<Csi['NodeGetCapabilitiesResponse']>;
export type NodeGetInfoRequest = Decoded<Csi['NodeGetInfoRequest']>;
export type NodeGetInfoResponse = Decoded<Csi['NodeGetInfoResponse']>;
export type NodeGetVolumeStatsRequest = Decoded<Csi['NodeGetVolumeStatsRequest']>;
export type NodeGetVolumeStatsResponse = Decoded<Csi['NodeGetVolumeStatsResponse']>;
export type NodePublishVolumeRequest = Decoded<Csi['NodePublishVolumeRequest']>;
export type NodePublishVolumeResponse = Decoded<Csi['NodePublishVolumeResponse']>;
export type NodeServiceCapability = Decoded<Csi['NodeServiceCapability']>;
export type NodeStageVolumeRequest = Decoded<Csi['NodeStageVolumeRequest']>;
export type NodeStageVolumeResponse = Decoded<Csi['NodeStageVolumeResponse']>;
export type NodeUnpublishVolumeRequest = Decoded<Csi['NodeUnpublishVolumeRequest']>;
export type NodeUnpublishVolumeResponse = Decoded<Csi['NodeUnpublishVolumeResponse']>;
export type NodeUnstageVolumeRequest = Decoded<Csi['NodeUnstageVolumeRequest']>;
export type NodeUnstageVolumeResponse = Decoded<Csi['NodeUnstageVolumeResponse']>;
export type PluginCapability = Decoded<Csi['PluginCapability']>;
export type ProbeRequest = Decoded<Csi['ProbeRequest']>;
export type ProbeResponse = Decoded<Csi['ProbeResponse']>;
export type Snapshot = Decoded<Csi['Snapshot']>;
export type Topology = Decoded<Csi['Topology']>;
export type TopologyRequirement = Decoded<Csi['TopologyRequirement']>;
export type ValidateVolumeCapabilitiesRequest = Decoded<Csi['ValidateVolumeCapabilitiesRequest']>;
export type ValidateVolumeCapabilitiesResponse = Decoded<Csi['ValidateVolumeCapabilitiesResponse']>;
export type Volume = Decoded<Csi['Volume']>;
export type VolumeCapability = Decoded<Csi['VolumeCapability']>;
export type VolumeCondition = Decoded<Csi['VolumeCondition']>;
export type VolumeContentSource = Decoded<Csi['VolumeContentSource']>;
export type VolumeUsage = Decoded<Csi['VolumeUsage']>;
