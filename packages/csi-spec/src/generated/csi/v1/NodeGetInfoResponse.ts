// Original file: proto/csi.proto

import type { Topology__Input as _csi_v1_Topology__Input, Topology as _csi_v1_Topology } from '../../csi/v1/Topology.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeGetInfoResponse__Input {
  'node_id'?: (string);
  'max_volumes_per_node'?: (number | string | Long);
  'accessible_topology'?: (_csi_v1_Topology__Input | null);
}

export interface NodeGetInfoResponse {
  'node_id': (string);
  'max_volumes_per_node': (string);
  'accessible_topology': (_csi_v1_Topology | null);
}
