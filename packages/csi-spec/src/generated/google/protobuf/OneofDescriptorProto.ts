// Original file: null

import type { OneofOptions__Input as _google_protobuf_OneofOptions__Input, OneofOptions as _google_protobuf_OneofOptions } from '../../google/protobuf/OneofOptions.js';

export interface OneofDescriptorProto__Input {
  'name'?: (string);
  'options'?: (_google_protobuf_OneofOptions__Input | null);
}

export interface OneofDescriptorProto {
  'name': (string);
  'options': (_google_protobuf_OneofOptions | null);
}
