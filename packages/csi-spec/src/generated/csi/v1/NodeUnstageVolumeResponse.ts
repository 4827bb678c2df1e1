// Original file: proto/csi.proto


export interface NodeUnstageVolumeResponse__Input {
}

export interface NodeUnstageVolumeResponse {
}
