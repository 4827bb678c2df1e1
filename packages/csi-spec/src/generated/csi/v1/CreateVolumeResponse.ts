// Original file: proto/csi.proto

import type { Volume__Input as _csi_v1_Volume__Input, Volume as _csi_v1_Volume } from '../../csi/v1/Volume.js';

export interface CreateVolumeResponse__Input {
  'volume'?: (_csi_v1_Volume__Input | null);
}

export interface CreateVolumeResponse {
  'volume': (_csi_v1_Volume | null);
}
