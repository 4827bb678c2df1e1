// Original file: proto/csi.proto


export interface GetSnapshotRequest__Input {
  'snapshot_id'?: (string);
  'secrets'?: ({[key: string]: string});
}

export interface GetSnapshotRequest {
  'snapshot_id': (string);
  'secrets': ({[key: string]: string});
}
