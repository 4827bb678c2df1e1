// Original file: proto/csi.proto


export interface NodeGetCapabilitiesRequest__Input {
}

export interface NodeGetCapabilitiesRequest {
}
