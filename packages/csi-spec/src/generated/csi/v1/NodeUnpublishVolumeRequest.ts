// Original file: proto/csi.proto


export interface NodeUnpublishVolumeRequest__Input {
  'volume_id'?: (string);
  'target_path'?: (string);
}

export interface NodeUnpublishVolumeRequest {
  'volume_id': (string);
  'target_path': (string);
}
