// Original file: null


export interface _google_protobuf_SourceCodeInfo_Location__Input {
  'path'?: (number)[];
  'span'?: (number)[];
  'leadingComments'?: (string);
  'trailingComments'?: (string);
  'leadingDetachedComments'?: (string)[];
}

export interface _google_protobuf_SourceCodeInfo_Location {
  'path': (number)[];
  'span': (number)[];
  'leadingComments': (string);
  'trailingComments': (string);
  'leadingDetachedComments': (string)[];
}

export interface SourceCodeInfo__Input {
  'location'?: (_google_protobuf_SourceCodeInfo_Location__Input)[];
}

export interface SourceCodeInfo {
  'location': (_google_protobuf_SourceCodeInfo_Location)[];
}
