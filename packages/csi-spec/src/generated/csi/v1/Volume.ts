// Original file: proto/csi.proto

import type { VolumeContentSource__Input as _csi_v1_VolumeContentSource__Input, VolumeContentSource as _csi_v1_VolumeContentSource } from '../../csi/v1/VolumeContentSource.js';
import type { Topology__Input as _csi_v1_Topology__Input, Topology as _csi_v1_Topology } from '../../csi/v1/Topology.js';
import type { Long } from '@grpc/proto-loader';

export interface Volume__Input {
  'capacity_bytes'?: (number | string | Long);
  'volume_id'?: (string);
  'volume_context'?: ({[key: string]: string});
  'content_source'?: (_csi_v1_VolumeContentSource__Input | null);
  'accessible_topology'?: (_csi_v1_Topology__Input)[];
}

export interface Volume {
  'capacity_bytes': (string);
  'volume_id': (string);
  'volume_context': ({[key: string]: string});
  'content_source': (_csi_v1_VolumeContentSource | null);
  'accessible_topology': (_csi_v1_Topology)[];
}
