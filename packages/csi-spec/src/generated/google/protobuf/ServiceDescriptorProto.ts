// Original file: null

import type { MethodDescriptorProto__Input as _google_protobuf_MethodDescriptorProto__Input, MethodDescriptorProto as _google_protobuf_MethodDescriptorProto } from '../../google/protobuf/MethodDescriptorProto.js';
import type { ServiceOptions__Input as _google_protobuf_ServiceOptions__Input, ServiceOptions as _google_protobuf_ServiceOptions } from '../../google/protobuf/ServiceOptions.js';

export interface ServiceDescriptorProto__Input {
  'name'?: (string);
  'method'?: (_google_protobuf_MethodDescriptorProto__Input)[];
  'options'?: (_google_protobuf_ServiceOptions__Input | null);
}

export interface ServiceDescriptorProto {
  'name': (string);
  'method': (_google_protobuf_MethodDescriptorProto)[];
  'options': (_google_protobuf_ServiceOptions | null);
}
