// Original file: proto/csi.proto

import type { BoolValue__Input as _google_protobuf_BoolValue__Input, BoolValue as _google_protobuf_BoolValue } from '../../google/protobuf/BoolValue.js';

export interface ProbeResponse__Input {
  'ready'?: (_google_protobuf_BoolValue__Input | null);
}

export interface ProbeResponse {
  'ready': (_google_protobuf_BoolValue | null);
}
