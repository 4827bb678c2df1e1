// Original file: proto/csi.proto


export interface NodePublishVolumeResponse__Input {
}

export interface NodePublishVolumeResponse {
}
