// Original file: proto/csi.proto

import type { Volume__Input as _csi_v1_Volume__Input, Volume as _csi_v1_Volume } from '../../csi/v1/Volume.js';
import type { VolumeCondition__Input as _csi_v1_VolumeCondition__Input, VolumeCondition as _csi_v1_VolumeCondition } from '../../csi/v1/VolumeCondition.js';

export interface _csi_v1_ControllerGetVolumeResponse_VolumeStatus__Input {
  'published_node_ids'?: (string)[];
  'volume_condition'?: (_csi_v1_VolumeCondition__Input | null);
}

export interface _csi_v1_ControllerGetVolumeResponse_VolumeStatus {
  'published_node_ids': (string)[];
  'volume_condition': (_csi_v1_VolumeCondition | null);
}

export interface ControllerGetVolumeResponse__Input {
  'volume'?: (_csi_v1_Volume__Input | null);
  'status'?: (_csi_v1_ControllerGetVolumeResponse_VolumeStatus__Input | null);
}

export interface ControllerGetVolumeResponse {
  'volume': (_csi_v1_Volume | null);
  'status': (_csi_v1_ControllerGetVolumeResponse_VolumeStatus | null);
}
