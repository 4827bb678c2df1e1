// Original file: proto/csi.proto

import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';

export interface ValidateVolumeCapabilitiesRequest__Input {
  'volume_id'?: (string);
  'volume_context'?: ({[key: string]: string});
  'volume_capabilities'?: (_csi_v1_VolumeCapability__Input)[];
  'parameters'?: ({[key: string]: string});
  'secrets'?: ({[key: string]: string});
  'mutable_parameters'?: ({[key: string]: string});
}

export interface ValidateVolumeCapabilitiesRequest {
  'volume_id': (string);
  'volume_context': ({[key: string]: string});
  'volume_capabilities': (_csi_v1_VolumeCapability)[];
  'parameters': ({[key: string]: string});
  'secrets': ({[key: string]: string});
  'mutable_parameters': ({[key: string]: string});
}
