// Original file: proto/csi.proto


export interface NodeGetInfoRequest__Input {
}

export interface NodeGetInfoRequest {
}
