// Original file: proto/csi.proto


export interface DeleteSnapshotRequest__Input {
  'snapshot_id'?: (string);
  'secrets'?: ({[key: string]: string});
}

export interface DeleteSnapshotRequest {
  'snapshot_id': (string);
  'secrets': ({[key: string]: string});
}
