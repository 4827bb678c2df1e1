// Original file: proto/csi.proto


export interface NodeUnstageVolumeRequest__Input {
  'volume_id'?: (string);
  'staging_target_path'?: (string);
}

export interface NodeUnstageVolumeRequest {
  'volume_id': (string);
  'staging_target_path': (string);
}
