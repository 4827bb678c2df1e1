// Original file: proto/csi.proto

import type { Snapshot__Input as _csi_v1_Snapshot__Input, Snapshot as _csi_v1_Snapshot } from '../../csi/v1/Snapshot.js';

export interface GetSnapshotResponse__Input {
  'snapshot'?: (_csi_v1_Snapshot__Input | null);
}

export interface GetSnapshotResponse {
  'snapshot': (_csi_v1_Snapshot | null);
}
