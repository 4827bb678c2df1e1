// Original file: proto/csi.proto


export interface DeleteSnapshotResponse__Input {
}

export interface DeleteSnapshotResponse {
}
