// Original file: proto/csi.proto


export interface DeleteVolumeResponse__Input {
}

export interface DeleteVolumeResponse {
}
