// Original file: null

import type { FeatureSet__Input as _google_protobuf_FeatureSet__Input, FeatureSet as _google_protobuf_FeatureSet } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption__Input as _google_protobuf_UninterpretedOption__Input, UninterpretedOption as _google_protobuf_UninterpretedOption } from '../../google/protobuf/UninterpretedOption.js';

export interface ServiceOptions__Input {
  'deprecated'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet__Input | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption__Input)[];
}

export interface ServiceOptions {
  'deprecated': (boolean);
  'features': (_google_protobuf_FeatureSet | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption)[];
}
