/**
 * TypeScript shapes of the CSI v1 messages in proto/csi.proto, as the loader (see LOADER_OPTIONS) decodes them:
 * - field names are the proto names (keepCase);
 * - every scalar, repeated and map field is present, with its proto3 default when unset (defaults);
 * - a message-typed field is `null` when unset;
 * - int64 arrives as a decimal string (longs: String), so sizes above 2^53 are never silently rounded;
 * - enums arrive as their value name; proto3 enums are open, so a value this file does not know arrives as a number;
 * - a set oneof member also names itself in a virtual field (oneofs), e.g. `access_type: 'mount'`.
 * What a sender may pass is looser; see `Input<T>`.
 */

/** A decimal int64, e.g. "1073741824". */
export type Int64 = `${bigint}`;

/** An open proto3 enum: a known value name, or the number of a value this definition does not know. */
export type Enum<Name extends string> = Name | number;

/** What a sender may pass for a message `T`: any field may be omitted or null, and int64 may be a number. */
export type Input<T> = T extends Int64
  ? Int64 | number
  : T extends string | number | boolean
    ? T
    : T extends readonly (infer E)[]
      ? Input<E>[]
      : { [K in keyof T]?: Input<NonNullable<T[K]>> | null };

export type StringMap = Record<string, string>;

// ---------------------------------------------------------------- well-known types

export interface BoolValue {
  value: boolean;
}

export interface Int64Value {
  value: Int64;
}

export interface Timestamp {
  seconds: Int64;
  nanos: number;
}

// ---------------------------------------------------------------- Identity

export type GetPluginInfoRequest = Record<string, never>;

export interface GetPluginInfoResponse {
  name: string;
  vendor_version: string;
  manifest: StringMap;
}

export type GetPluginCapabilitiesRequest = Record<string, never>;

export interface GetPluginCapabilitiesResponse {
  capabilities: PluginCapability[];
}

export type PluginServiceType =
  | 'UNKNOWN'
  | 'CONTROLLER_SERVICE'
  | 'VOLUME_ACCESSIBILITY_CONSTRAINTS'
  | 'GROUP_CONTROLLER_SERVICE'
  | 'SNAPSHOT_METADATA_SERVICE';

export type VolumeExpansionType = 'UNKNOWN' | 'ONLINE' | 'OFFLINE';

export interface PluginCapability {
  service?: { type: Enum<PluginServiceType> };
  volume_expansion?: { type: Enum<VolumeExpansionType> };
  type?: 'service' | 'volume_expansion';
}

export type ProbeRequest = Record<string, never>;

export interface ProbeResponse {
  ready: BoolValue | null;
}

// ---------------------------------------------------------------- shared volume messages

export interface VolumeContentSource {
  snapshot?: { snapshot_id: string };
  volume?: { volume_id: string };
  type?: 'snapshot' | 'volume';
}

export type AccessModeName =
  | 'UNKNOWN'
  | 'SINGLE_NODE_WRITER'
  | 'SINGLE_NODE_READER_ONLY'
  | 'MULTI_NODE_READER_ONLY'
  | 'MULTI_NODE_SINGLE_WRITER'
  | 'MULTI_NODE_MULTI_WRITER'
  | 'SINGLE_NODE_SINGLE_WRITER'
  | 'SINGLE_NODE_MULTI_WRITER';

export interface MountVolume {
  fs_type: string;
  /** May hold sensitive data: never log it. */
  mount_flags: string[];
  volume_mount_group: string;
}

export type BlockVolume = Record<string, never>;

export interface VolumeCapability {
  block?: BlockVolume;
  mount?: MountVolume;
  access_type?: 'block' | 'mount';
  access_mode: { mode: Enum<AccessModeName> } | null;
}

export interface CapacityRange {
  required_bytes: Int64;
  limit_bytes: Int64;
}

export interface Topology {
  segments: StringMap;
}

export interface TopologyRequirement {
  requisite: Topology[];
  preferred: Topology[];
}

export interface Volume {
  capacity_bytes: Int64;
  volume_id: string;
  volume_context: StringMap;
  content_source: VolumeContentSource | null;
  accessible_topology: Topology[];
}

export interface VolumeCondition {
  abnormal: boolean;
  message: string;
}

// ---------------------------------------------------------------- Controller

export interface CreateVolumeRequest {
  name: string;
  capacity_range: CapacityRange | null;
  volume_capabilities: VolumeCapability[];
  parameters: StringMap;
  secrets: StringMap;
  volume_content_source: VolumeContentSource | null;
  accessibility_requirements: TopologyRequirement | null;
  mutable_parameters: StringMap;
}

export interface CreateVolumeResponse {
  volume: Volume | null;
}

export interface DeleteVolumeRequest {
  volume_id: string;
  secrets: StringMap;
}

export type DeleteVolumeResponse = Record<string, never>;

export interface ControllerPublishVolumeRequest {
  volume_id: string;
  node_id: string;
  volume_capability: VolumeCapability | null;
  readonly: boolean;
  secrets: StringMap;
  volume_context: StringMap;
}

export interface ControllerPublishVolumeResponse {
  publish_context: StringMap;
}

export interface ControllerUnpublishVolumeRequest {
  volume_id: string;
  node_id: string;
  secrets: StringMap;
}

export type ControllerUnpublishVolumeResponse = Record<string, never>;

export interface ValidateVolumeCapabilitiesRequest {
  volume_id: string;
  volume_context: StringMap;
  volume_capabilities: VolumeCapability[];
  parameters: StringMap;
  secrets: StringMap;
  mutable_parameters: StringMap;
}

export interface ValidateVolumeCapabilitiesResponse {
  confirmed: {
    volume_context: StringMap;
    volume_capabilities: VolumeCapability[];
    parameters: StringMap;
    mutable_parameters: StringMap;
  } | null;
  message: string;
}

export interface ListVolumesRequest {
  max_entries: number;
  starting_token: string;
}

export interface VolumeStatus {
  published_node_ids: string[];
  volume_condition: VolumeCondition | null;
}

export interface ListVolumesResponse {
  entries: { volume: Volume | null; status: VolumeStatus | null }[];
  next_token: string;
}

export interface ControllerGetVolumeRequest {
  volume_id: string;
}

export interface ControllerGetVolumeResponse {
  volume: Volume | null;
  status: VolumeStatus | null;
}

export interface ControllerModifyVolumeRequest {
  volume_id: string;
  secrets: StringMap;
  mutable_parameters: StringMap;
}

export type ControllerModifyVolumeResponse = Record<string, never>;

export interface GetCapacityRequest {
  volume_capabilities: VolumeCapability[];
  parameters: StringMap;
  accessible_topology: Topology | null;
}

export interface GetCapacityResponse {
  available_capacity: Int64;
  maximum_volume_size: Int64Value | null;
  minimum_volume_size: Int64Value | null;
}

export type ControllerGetCapabilitiesRequest = Record<string, never>;

export type ControllerRpcType =
  | 'UNKNOWN'
  | 'CREATE_DELETE_VOLUME'
  | 'PUBLISH_UNPUBLISH_VOLUME'
  | 'LIST_VOLUMES'
  | 'GET_CAPACITY'
  | 'CREATE_DELETE_SNAPSHOT'
  | 'LIST_SNAPSHOTS'
  | 'CLONE_VOLUME'
  | 'PUBLISH_READONLY'
  | 'EXPAND_VOLUME'
  | 'LIST_VOLUMES_PUBLISHED_NODES'
  | 'VOLUME_CONDITION'
  | 'GET_VOLUME'
  | 'SINGLE_NODE_MULTI_WRITER'
  | 'MODIFY_VOLUME'
  | 'GET_SNAPSHOT';

export interface ControllerServiceCapability {
  rpc?: { type: Enum<ControllerRpcType> };
  type?: 'rpc';
}

export interface ControllerGetCapabilitiesResponse {
  capabilities: ControllerServiceCapability[];
}

export interface CreateSnapshotRequest {
  source_volume_id: string;
  name: string;
  secrets: StringMap;
  parameters: StringMap;
}

export interface Snapshot {
  size_bytes: Int64;
  snapshot_id: string;
  source_volume_id: string;
  creation_time: Timestamp | null;
  ready_to_use: boolean;
  group_snapshot_id: string;
}

export interface CreateSnapshotResponse {
  snapshot: Snapshot | null;
}

export interface DeleteSnapshotRequest {
  snapshot_id: string;
  secrets: StringMap;
}

export type DeleteSnapshotResponse = Record<string, never>;

export interface ListSnapshotsRequest {
  max_entries: number;
  starting_token: string;
  source_volume_id: string;
  snapshot_id: string;
  secrets: StringMap;
}

export interface ListSnapshotsResponse {
  entries: { snapshot: Snapshot | null }[];
  next_token: string;
}

export interface GetSnapshotRequest {
  snapshot_id: string;
  secrets: StringMap;
}

export interface GetSnapshotResponse {
  snapshot: Snapshot | null;
}

export interface ControllerExpandVolumeRequest {
  volume_id: string;
  capacity_range: CapacityRange | null;
  secrets: StringMap;
  volume_capability: VolumeCapability | null;
}

export interface ControllerExpandVolumeResponse {
  capacity_bytes: Int64;
  node_expansion_required: boolean;
}

// ---------------------------------------------------------------- Node

export interface NodeStageVolumeRequest {
  volume_id: string;
  publish_context: StringMap;
  staging_target_path: string;
  volume_capability: VolumeCapability | null;
  secrets: StringMap;
  volume_context: StringMap;
}

export type NodeStageVolumeResponse = Record<string, never>;

export interface NodeUnstageVolumeRequest {
  volume_id: string;
  staging_target_path: string;
}

export type NodeUnstageVolumeResponse = Record<string, never>;

export interface NodePublishVolumeRequest {
  volume_id: string;
  publish_context: StringMap;
  staging_target_path: string;
  target_path: string;
  volume_capability: VolumeCapability | null;
  readonly: boolean;
  secrets: StringMap;
  volume_context: StringMap;
}

export type NodePublishVolumeResponse = Record<string, never>;

export interface NodeUnpublishVolumeRequest {
  volume_id: string;
  target_path: string;
}

export type NodeUnpublishVolumeResponse = Record<string, never>;

export interface NodeGetVolumeStatsRequest {
  volume_id: string;
  volume_path: string;
  staging_target_path: string;
}

export type VolumeUsageUnit = 'UNKNOWN' | 'BYTES' | 'INODES';

export interface VolumeUsage {
  available: Int64;
  total: Int64;
  used: Int64;
  unit: Enum<VolumeUsageUnit>;
}

export interface NodeGetVolumeStatsResponse {
  usage: VolumeUsage[];
  volume_condition: VolumeCondition | null;
}

export interface NodeExpandVolumeRequest {
  volume_id: string;
  volume_path: string;
  capacity_range: CapacityRange | null;
  staging_target_path: string;
  volume_capability: VolumeCapability | null;
  secrets: StringMap;
}

export interface NodeExpandVolumeResponse {
  capacity_bytes: Int64;
}

export type NodeGetCapabilitiesRequest = Record<string, never>;

export type NodeRpcType =
  | 'UNKNOWN'
  | 'STAGE_UNSTAGE_VOLUME'
  | 'GET_VOLUME_STATS'
  | 'EXPAND_VOLUME'
  | 'VOLUME_CONDITION'
  | 'SINGLE_NODE_MULTI_WRITER'
  | 'VOLUME_MOUNT_GROUP';

export interface NodeServiceCapability {
  rpc?: { type: Enum<NodeRpcType> };
  type?: 'rpc';
}

export interface NodeGetCapabilitiesResponse {
  capabilities: NodeServiceCapability[];
}

export type NodeGetInfoRequest = Record<string, never>;

export interface NodeGetInfoResponse {
  node_id: string;
  max_volumes_per_node: Int64;
  accessible_topology: Topology | null;
}
