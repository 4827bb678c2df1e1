// Original file: proto/csi.proto


export interface ControllerModifyVolumeResponse__Input {
}

export interface ControllerModifyVolumeResponse {
}
