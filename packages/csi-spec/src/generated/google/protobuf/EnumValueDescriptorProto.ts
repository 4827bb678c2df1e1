// Original file: null

import type { EnumValueOptions__Input as _google_protobuf_EnumValueOptions__Input, EnumValueOptions as _google_protobuf_EnumValueOptions } from '../../google/protobuf/EnumValueOptions.js';

export interface EnumValueDescriptorProto__Input {
  'name'?: (string);
  'number'?: (number);
  'options'?: (_google_protobuf_EnumValueOptions__Input | null);
}

export interface EnumValueDescriptorProto {
  'name': (string);
  'number': (number);
  'options': (_google_protobuf_EnumValueOptions | null);
}
