// Original file: proto/csi.proto


export interface GetPluginCapabilitiesRequest__Input {
}

export interface GetPluginCapabilitiesRequest {
}
