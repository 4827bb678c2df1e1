// Original file: proto/csi.proto


export interface VolumeCondition__Input {
  'abnormal'?: (boolean);
  'message'?: (string);
}

export interface VolumeCondition {
  'abnormal': (boolean);
  'message': (string);
}
