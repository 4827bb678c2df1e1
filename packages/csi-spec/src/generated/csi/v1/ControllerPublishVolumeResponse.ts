// Original file: proto/csi.proto


export interface ControllerPublishVolumeResponse__Input {
  'publish_context'?: ({[key: string]: string});
}

export interface ControllerPublishVolumeResponse {
  'publish_context': ({[key: string]: string});
}
