// Original file: proto/csi.proto


export interface ListVolumesRequest__Input {
  'max_entries'?: (number);
  'starting_token'?: (string);
}

export interface ListVolumesRequest {
  'max_entries': (number);
  'starting_token': (string);
}
