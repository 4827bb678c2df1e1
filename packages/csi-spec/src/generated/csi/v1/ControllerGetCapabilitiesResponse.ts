// Original file: proto/csi.proto

import type { ControllerServiceCapability__Input as _csi_v1_ControllerServiceCapability__Input, ControllerServiceCapability as _csi_v1_ControllerServiceCapability } from '../../csi/v1/ControllerServiceCapability.js';

export interface ControllerGetCapabilitiesResponse__Input {
  'capabilities'?: (_csi_v1_ControllerServiceCapability__Input)[];
}

export interface ControllerGetCapabilitiesResponse {
  'capabilities': (_csi_v1_ControllerServiceCapability)[];
}
