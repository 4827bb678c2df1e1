// Original file: proto/csi.proto

import type { Snapshot__Input as _csi_v1_Snapshot__Input, Snapshot as _csi_v1_Snapshot } from '../../csi/v1/Snapshot.js';

export interface _csi_v1_ListSnapshotsResponse_Entry__Input {
  'snapshot'?: (_csi_v1_Snapshot__Input | null);
}

export interface _csi_v1_ListSnapshotsResponse_Entry {
  'snapshot': (_csi_v1_Snapshot | null);
}

export interface ListSnapshotsResponse__Input {
  'entries'?: (_csi_v1_ListSnapshotsResponse_Entry__Input)[];
  'next_token'?: (string);
}

export interface ListSnapshotsResponse {
  'entries': (_csi_v1_ListSnapshotsResponse_Entry)[];
  'next_token': (string);
}
