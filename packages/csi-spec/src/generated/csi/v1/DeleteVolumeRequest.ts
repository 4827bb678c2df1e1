// Original file: proto/csi.proto


export interface DeleteVolumeRequest__Input {
  'volume_id'?: (string);
  'secrets'?: ({[key: string]: string});
}

export interface DeleteVolumeRequest {
  'volume_id': (string);
  'secrets': ({[key: string]: string});
}
