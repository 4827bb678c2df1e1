// Original file: proto/csi.proto

import type { CapacityRange__Input as _csi_v1_CapacityRange__Input, CapacityRange as _csi_v1_CapacityRange } from '../../csi/v1/CapacityRange.js';
import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from '../../csi/v1/VolumeCapability.js';
import type { VolumeContentSource__Input as _csi_v1_VolumeContentSource__Input, VolumeContentSource as _csi_v1_VolumeContentSource } from '../../csi/v1/VolumeContentSource.js';
import type { TopologyRequirement__Input as _csi_v1_TopologyRequirement__Input, TopologyRequirement as _csi_v1_TopologyRequirement } from '../../csi/v1/TopologyRequirement.js';

export interface CreateVolumeRequest__Input {
  'name'?: (string);
  'capacity_range'?: (_csi_v1_CapacityRange__Input | null);
  'volume_capabilities'?: (_csi_v1_VolumeCapability__Input)[];
  'parameters'?: ({[key: string]: string});
  'secrets'?: ({[key: string]: string});
  'volume_content_source'?: (_csi_v1_VolumeContentSource__Input | null);
  'accessibility_requirements'?: (_csi_v1_TopologyRequirement__Input | null);
  'mutable_parameters'?: ({[key: string]: string});
}

export interface CreateVolumeRequest {
  'name': (string);
  'capacity_range': (_csi_v1_CapacityRange | null);
  'volume_capabilities': (_csi_v1_VolumeCapability)[];
  'parameters': ({[key: string]: string});
  'secrets': ({[key: string]: string});
  'volume_content_source': (_csi_v1_VolumeContentSource | null);
  'accessibility_requirements': (_csi_v1_TopologyRequirement | null);
  'mutable_parameters': ({[key: string]: string});
}
