// Original file: null

import type { FeatureSet__Input as _google_protobuf_FeatureSet__Input, FeatureSet as _google_protobuf_FeatureSet } from '../../google/protobuf/FeatureSet.js';
import type { _google_protobuf_FieldOptions_FeatureSupport__Input, _google_protobuf_FieldOptions_FeatureSupport } from '../../google/protobuf/FieldOptions.js';
import type { UninterpretedOption__Input as _google_protobuf_UninterpretedOption__Input, UninterpretedOption as _google_protobuf_UninterpretedOption } from '../../google/protobuf/UninterpretedOption.js';

export interface EnumValueOptions__Input {
  'deprecated'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet__Input | null);
  'debugRedact'?: (boolean);
  'featureSupport'?: (_google_protobuf_FieldOptions_FeatureSupport__Input | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption__Input)[];
}

export interface EnumValueOptions {
  'deprecated': (boolean);
  'features': (_google_protobuf_FeatureSet | null);
  'debugRedact': (boolean);
  'featureSupport': (_google_protobuf_FieldOptions_FeatureSupport | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption)[];
}
