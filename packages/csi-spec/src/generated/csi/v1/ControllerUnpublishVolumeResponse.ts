// Original file: proto/csi.proto


export interface ControllerUnpublishVolumeResponse__Input {
}

export interface ControllerUnpublishVolumeResponse {
}
