// Original file: proto/csi.proto

import type { NodeServiceCapability__Input as _csi_v1_NodeServiceCapability__Input, NodeServiceCapability as _csi_v1_NodeServiceCapability } from '../../csi/v1/NodeServiceCapability.js';

export interface NodeGetCapabilitiesResponse__Input {
  'capabilities'?: (_csi_v1_NodeServiceCapability__Input)[];
}

export interface NodeGetCapabilitiesResponse {
  'capabilities': (_csi_v1_NodeServiceCapability)[];
}
