// Original file: null


export interface DoubleValue__Input {
  'value'?: (number | string);
}

export interface DoubleValue {
  'value': (number);
}
