// Original file: null


export interface FloatValue__Input {
  'value'?: (number | string);
}

export interface FloatValue {
  'value': (number);
}
