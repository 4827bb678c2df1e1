// Original file: proto/csi.proto


export interface NodeUnpublishVolumeResponse__Input {
}

export interface NodeUnpublishVolumeResponse {
}
