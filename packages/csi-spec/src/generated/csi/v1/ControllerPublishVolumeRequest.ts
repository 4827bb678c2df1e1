// Original file: proto/csi.proto

import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';

export interface ControllerPublishVolumeRequest__Input {
  'volume_id'?: (string);
  'node_id'?: (string);
  'volume_capability'?: (_csi_v1_VolumeCapability__Input | null);
  'readonly'?: (boolean);
  'secrets'?: ({[key: string]: string});
  'volume_context'?: ({[key: string]: string});
}

export interface ControllerPublishVolumeRequest {
  'volume_id': (string);
  'node_id': (string);
  'volume_capability': (_csi_v1_VolumeCapability | null);
  'readonly': (boolean);
  'secrets': ({[key: string]: string});
  'volume_context': ({[key: string]: string});
}
