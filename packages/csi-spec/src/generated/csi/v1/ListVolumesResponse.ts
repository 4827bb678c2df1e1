// Original file: proto/csi.proto

import type { VolumeCondition__Input as _csi_v1_VolumeCondition__Input, VolumeCondition as _csi_v1_VolumeCondition } from '../../csi/v1/VolumeCondition.js';
import type { Volume__Input as _csi_v1_Volume__Input, Volume as _csi_v1_Volume } from '../../csi/v1/Volume.js';

export interface _csi_v1_ListVolumesResponse_Entry__Input {
  'volume'?: (_csi_v1_Volume__Input | null);
  'status'?: (_csi_v1_ListVolumesResponse_VolumeStatus__Input | null);
}

export interface _csi_v1_ListVolumesResponse_Entry {
  'volume': (_csi_v1_Volume | null);
  'status': (_csi_v1_ListVolumesResponse_VolumeStatus | null);
}

export interface _csi_v1_ListVolumesResponse_VolumeStatus__Input {
  'published_node_ids'?: (string)[];
  'volume_condition'?: (_csi_v1_VolumeCondition__Input | null);
}

export interface _csi_v1_ListVolumesResponse_VolumeStatus {
  'published_node_ids': (string)[];
  'volume_condition': (_csi_v1_VolumeCondition | null);
}

export interface ListVolumesResponse__Input {
  'entries'?: (_csi_v1_ListVolumesResponse_Entry__Input)[];
  'next_token'?: (string);
}

export interface ListVolumesResponse {
  'entries': (_csi_v1_ListVolumesResponse_Entry)[];
  'next_token': (string);
}
