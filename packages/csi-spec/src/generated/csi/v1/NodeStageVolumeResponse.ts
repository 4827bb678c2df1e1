// Original file: proto/csi.proto


export interface NodeStageVolumeResponse__Input {
}

export interface NodeStageVolumeResponse {
}
