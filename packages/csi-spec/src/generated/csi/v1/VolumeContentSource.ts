// Original file: proto/csi.proto


export interface _csi_v1_VolumeContentSource_SnapshotSource__Input {
  'snapshot_id'?: (string);
}

export interface _csi_v1_VolumeContentSource_SnapshotSource {
  'snapshot_id': (string);
}

export interface _csi_v1_VolumeContentSource_VolumeSource__Input {
  'volume_id'?: (string);
}

export interface _csi_v1_VolumeContentSource_VolumeSource {
  'volume_id': (string);
}

export interface VolumeContentSource__Input {
  'snapshot'?: (_csi_v1_VolumeContentSource_SnapshotSource__Input | null);
  'volume'?: (_csi_v1_VolumeContentSource_VolumeSource__Input | null);
  'type'?: "snapshot"|"volume";
}

export interface VolumeContentSource {
  'snapshot'?: (_csi_v1_VolumeContentSource_SnapshotSource | null);
  'volume'?: (_csi_v1_VolumeContentSource_VolumeSource | null);
  'type'?: "snapshot"|"volume";
}
