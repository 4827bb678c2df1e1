// Original file: proto/csi.proto

import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';

export interface _csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed__Input {
  'volume_context'?: ({[key: string]: string});
  'volume_capabilities'?: (_csi_v1_VolumeCapability__Input)[];
  'parameters'?: ({[key: string]: string});
  'mutable_parameters'?: ({[key: string]: string});
}

export interface _csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed {
  'volume_context': ({[key: string]: string});
  'volume_capabilities': (_csi_v1_VolumeCapability)[];
  'parameters': ({[key: string]: string});
  'mutable_parameters': ({[key: string]: string});
}

export interface ValidateVolumeCapabilitiesResponse__Input {
  'confirmed'?: (_csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed__Input | null);
  'message'?: (string);
}

export interface ValidateVolumeCapabilitiesResponse {
  'confirmed': (_csi_v1_ValidateVolumeCapabilitiesResponse_Confirmed | null);
  'message': (string);
}
