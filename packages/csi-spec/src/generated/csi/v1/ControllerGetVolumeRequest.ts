// Original file: proto/csi.proto


export interface ControllerGetVolumeRequest__Input {
  'volume_id'?: (string);
}

export interface ControllerGetVolumeRequest {
  'volume_id': (string);
}
