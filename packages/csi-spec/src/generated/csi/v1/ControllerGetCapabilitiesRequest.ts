// Original file: proto/csi.proto


export interface ControllerGetCapabilitiesRequest__Input {
}

export interface ControllerGetCapabilitiesRequest {
}
