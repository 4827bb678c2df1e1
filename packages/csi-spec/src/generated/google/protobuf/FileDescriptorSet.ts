// Original file: null

import type { FileDescriptorProto__Input as _google_protobuf_FileDescriptorProto__Input, FileDescriptorProto as _google_protobuf_FileDescriptorProto } from '../../google/protobuf/FileDescriptorProto.js';

export interface FileDescriptorSet__Input {
  'file'?: (_google_protobuf_FileDescriptorProto__Input)[];
}

export interface FileDescriptorSet {
  'file': (_google_protobuf_FileDescriptorProto)[];
}
