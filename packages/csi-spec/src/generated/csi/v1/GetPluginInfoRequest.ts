// Original file: proto/csi.proto


export interface GetPluginInfoRequest__Input {
}

export interface GetPluginInfoRequest {
}
