// Original file: proto/csi.proto

import type { VolumeUsage__Input as _csi_v1_VolumeUsage__Input, VolumeUsage as _csi_v1_VolumeUsage } from '../../csi/v1/VolumeUsage.js';
import type { VolumeCondition__Input as _csi_v1_VolumeCondition__Input, VolumeCondition as _csi_v1_VolumeCondition } from '../../csi/v1/VolumeCondition.js';

export interface NodeGetVolumeStatsResponse__Input {
  'usage'?: (_csi_v1_VolumeUsage__Input)[];
  'volume_condition'?: (_csi_v1_VolumeCondition__Input | null);
}

export interface NodeGetVolumeStatsResponse {
  'usage': (_csi_v1_VolumeUsage)[];
  'volume_condition': (_csi_v1_VolumeCondition | null);
}
