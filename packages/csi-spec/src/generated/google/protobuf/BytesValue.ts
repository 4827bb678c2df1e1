// Original file: null


export interface BytesValue__Input {
  'value'?: (Buffer | Uint8Array | string);
}

export interface BytesValue {
  'value': (Buffer);
}
