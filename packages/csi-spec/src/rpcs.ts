import type * as t from './types.js';

/** One unary RPC: its request and response message types. */
export interface Rpc<Req, Res> {
  request: Req;
  response: Res;
}

export interface IdentityRpcs {
  GetPluginInfo: Rpc<t.GetPluginInfoRequest, t.GetPluginInfoResponse>;
  GetPluginCapabilities: Rpc<t.GetPluginCapabilitiesRequest, t.GetPluginCapabilitiesResponse>;
  Probe: Rpc<t.ProbeRequest, t.ProbeResponse>;
}

export interface ControllerRpcs {
  CreateVolume: Rpc<t.CreateVolumeRequest, t.CreateVolumeResponse>;
  DeleteVolume: Rpc<t.DeleteVolumeRequest, t.DeleteVolumeResponse>;
  ControllerPublishVolume: Rpc<t.ControllerPublishVolumeRequest, t.ControllerPublishVolumeResponse>;
  ControllerUnpublishVolume: Rpc<t.ControllerUnpublishVolumeRequest, t.ControllerUnpublishVolumeResponse>;
  ValidateVolumeCapabilities: Rpc<t.ValidateVolumeCapabilitiesRequest, t.ValidateVolumeCapabilitiesResponse>;
  ListVolumes: Rpc<t.ListVolumesRequest, t.ListVolumesResponse>;
  GetCapacity: Rpc<t.GetCapacityRequest, t.GetCapacityResponse>;
  ControllerGetCapabilities: Rpc<t.ControllerGetCapabilitiesRequest, t.ControllerGetCapabilitiesResponse>;
  CreateSnapshot: Rpc<t.CreateSnapshotRequest, t.CreateSnapshotResponse>;
  DeleteSnapshot: Rpc<t.DeleteSnapshotRequest, t.DeleteSnapshotResponse>;
  ListSnapshots: Rpc<t.ListSnapshotsRequest, t.ListSnapshotsResponse>;
  GetSnapshot: Rpc<t.GetSnapshotRequest, t.GetSnapshotResponse>;
  ControllerExpandVolume: Rpc<t.ControllerExpandVolumeRequest, t.ControllerExpandVolumeResponse>;
  ControllerGetVolume: Rpc<t.ControllerGetVolumeRequest, t.ControllerGetVolumeResponse>;
  ControllerModifyVolume: Rpc<t.ControllerModifyVolumeRequest, t.ControllerModifyVolumeResponse>;
}

export interface NodeRpcs {
  NodeStageVolume: Rpc<t.NodeStageVolumeRequest, t.NodeStageVolumeResponse>;
  NodeUnstageVolume: Rpc<t.NodeUnstageVolumeRequest, t.NodeUnstageVolumeResponse>;
  NodePublishVolume: Rpc<t.NodePublishVolumeRequest, t.NodePublishVolumeResponse>;
  NodeUnpublishVolume: Rpc<t.NodeUnpublishVolumeRequest, t.NodeUnpublishVolumeResponse>;
  NodeGetVolumeStats: Rpc<t.NodeGetVolumeStatsRequest, t.NodeGetVolumeStatsResponse>;
  NodeExpandVolume: Rpc<t.NodeExpandVolumeRequest, t.NodeExpandVolumeResponse>;
  NodeGetCapabilities: Rpc<t.NodeGetCapabilitiesRequest, t.NodeGetCapabilitiesResponse>;
  NodeGetInfo: Rpc<t.NodeGetInfoRequest, t.NodeGetInfoResponse>;
}

/** The three CSI services by their proto name, with their RPC maps. */
export interface CsiServices {
  Identity: IdentityRpcs;
  Controller: ControllerRpcs;
  Node: NodeRpcs;
}

export type CsiServiceName = keyof CsiServices;

/** The names of a service's RPCs as declared in the proto, in declaration order. */
export const RPC_NAMES: { readonly [S in CsiServiceName]: readonly (keyof CsiServices[S])[] } = {
  Identity: ['GetPluginInfo', 'GetPluginCapabilities', 'Probe'],
  Controller: [
    'CreateVolume',
    'DeleteVolume',
    'ControllerPublishVolume',
    'ControllerUnpublishVolume',
    'ValidateVolumeCapabilities',
    'ListVolumes',
    'GetCapacity',
    'ControllerGetCapabilities',
    'CreateSnapshot',
    'DeleteSnapshot',
    'ListSnapshots',
    'GetSnapshot',
    'ControllerExpandVolume',
    'ControllerGetVolume',
    'ControllerModifyVolume',
  ],
  Node: [
    'NodeStageVolume',
    'NodeUnstageVolume',
    'NodePublishVolume',
    'NodeUnpublishVolume',
    'NodeGetVolumeStats',
    'NodeExpandVolume',
    'NodeGetCapabilities',
    'NodeGetInfo',
  ],
};
