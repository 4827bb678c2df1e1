// Original file: proto/csi.proto

import type { Snapshot__Input as _csi_v1_Snapshot__Input, Snapshot as _csi_v1_Snapshot } from '../../csi/v1/Snapshot.js';

export interface CreateSnapshotResponse__Input {
  'snapshot'?: (_csi_v1_Snapshot__Input | null);
}

export interface CreateSnapshotResponse {
  'snapshot': (_csi_v1_Snapshot | null);
}
