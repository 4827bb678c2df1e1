// Original file: null

import type { MethodOptions__Input as _google_protobuf_MethodOptions__Input, MethodOptions as _google_protobuf_MethodOptions } from '../../google/protobuf/MethodOptions.js';

export interface MethodDescriptorProto__Input {
  'name'?: (string);
  'inputType'?: (string);
  'outputType'?: (string);
  'options'?: (_google_protobuf_MethodOptions__Input | null);
  'clientStreaming'?: (boolean);
  'serverStreaming'?: (boolean);
}

export interface MethodDescriptorProto {
  'name': (string);
  'inputType': (string);
  'outputType': (string);
  'options': (_google_protobuf_MethodOptions | null);
  'clientStreaming': (boolean);
  'serverStreaming': (boolean);
}
