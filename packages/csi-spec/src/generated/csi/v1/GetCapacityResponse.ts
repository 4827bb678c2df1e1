// Original file: proto/csi.proto

import type { Int64Value__Input as _google_protobuf_Int64Value__Input, Int64Value as _google_protobuf_Int64Value } from '../../google/protobuf/Int64Value.js';
import type { Long } from '@grpc/proto-loader';

export interface GetCapacityResponse__Input {
  'available_capacity'?: (number | string | Long);
  'maximum_volume_size'?: (_google_protobuf_Int64Value__Input | null);
  'minimum_volume_size'?: (_google_protobuf_Int64Value__Input | null);
}

export interface GetCapacityResponse {
  'available_capacity': (string);
  'maximum_volume_size': (_google_protobuf_Int64Value | null);
  'minimum_volume_size': (_google_protobuf_Int64Value | null);
}
