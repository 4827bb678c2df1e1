// Original file: proto/csi.proto

import type { Topology__Input as _csi_v1_Topology__Input, Topology as _csi_v1_Topology } from '../../csi/v1/Topology.js';

export interface TopologyRequirement__Input {
  'requisite'?: (_csi_v1_Topology__Input)[];
  'preferred'?: (_csi_v1_Topology__Input)[];
}

export interface TopologyRequirement {
  'requisite': (_csi_v1_Topology)[];
  'preferred': (_csi_v1_Topology)[];
}
