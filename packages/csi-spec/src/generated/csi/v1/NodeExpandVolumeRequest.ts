// Original file: proto/csi.proto

import type { CapacityRange__Input as _csi_v1_CapacityRange__Input, CapacityRange as _csi_v1_CapacityRange } from '../../csi/v1/CapacityRange.js';
import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';

export interface NodeExpandVolumeRequest__Input {
  'volume_id'?: (string);
  'volume_path'?: (string);
  'capacity_range'?: (_csi_v1_CapacityRange__Input | null);
  'staging_target_path'?: (string);
  'volume_capability'?: (_csi_v1_VolumeCapability__Input | null);
  'secrets'?: ({[key: string]: string});
}

export interface NodeExpandVolumeRequest {
  'volume_id': (string);
  'volume_path': (string);
  'capacity_range': (_csi_v1_CapacityRange | null);
  'staging_target_path': (string);
  'volume_capability': (_csi_v1_VolumeCapability | null);
  'secrets': ({[key: string]: string});
}
