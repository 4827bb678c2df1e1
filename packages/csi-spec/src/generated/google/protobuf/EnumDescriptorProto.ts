// Original file: null

import type { EnumValueDescriptorProto__Input as _google_protobuf_EnumValueDescriptorProto__Input, EnumValueDescriptorProto as _google_protobuf_EnumValueDescriptorProto } from '../../google/protobuf/EnumValueDescriptorProto.js';
import type { EnumOptions__Input as _google_protobuf_EnumOptions__Input, EnumOptions as _google_protobuf_EnumOptions } from '../../google/protobuf/EnumOptions.js';
import type { SymbolVisibility__Input as _google_protobuf_SymbolVisibility__Input, SymbolVisibility as _google_protobuf_SymbolVisibility } from '../../google/protobuf/SymbolVisibility.js';

export interface _google_protobuf_EnumDescriptorProto_EnumReservedRange__Input {
  'start'?: (number);
  'end'?: (number);
}

export interface _google_protobuf_EnumDescriptorProto_EnumReservedRange {
  'start': (number);
  'end': (number);
}

export interface EnumDescriptorProto__Input {
  'name'?: (string);
  'value'?: (_google_protobuf_EnumValueDescriptorProto__Input)[];
  'options'?: (_google_protobuf_EnumOptions__Input | null);
  'reservedRange'?: (_google_protobuf_EnumDescriptorProto_EnumReservedRange__Input)[];
  'reservedName'?: (string)[];
  'visibility'?: (_google_protobuf_SymbolVisibility__Input);
}

export interface EnumDescriptorProto {
  'name': (string);
  'value': (_google_protobuf_EnumValueDescriptorProto)[];
  'options': (_google_protobuf_EnumOptions | null);
  'reservedRange': (_google_protobuf_EnumDescriptorProto_EnumReservedRange)[];
  'reservedName': (string)[];
  'visibility': (_google_protobuf_SymbolVisibility);
}
