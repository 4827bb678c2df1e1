// Original file: proto/csi.proto


export interface ProbeRequest__Input {
}

export interface ProbeRequest {
}
