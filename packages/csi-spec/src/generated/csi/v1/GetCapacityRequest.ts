// Original file: proto/csi.proto

import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';
import type { Topology__Input as _csi_v1_Topology__Input, Topology as _csi_v1_Topology } from '../../csi/v1/Topology.js';

export interface GetCapacityRequest__Input {
  'volume_capabilities'?: (_csi_v1_VolumeCapability__Input)[];
  'parameters'?: ({[key: string]: string});
  'accessible_topology'?: (_csi_v1_Topology__Input | null);
}

export interface GetCapacityRequest {
  'volume_capabilities': (_csi_v1_VolumeCapability)[];
  'parameters': ({[key: string]: string});
  'accessible_topology': (_csi_v1_Topology | null);
}
