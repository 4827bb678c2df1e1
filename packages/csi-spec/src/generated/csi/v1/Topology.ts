// Original file: proto/csi.proto


export interface Topology__Input {
  'segments'?: ({[key: string]: string});
}

export interface Topology {
  'segments': ({[key: string]: string});
}
