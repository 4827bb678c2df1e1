// Original file: proto/csi.proto

import type { PluginCapability__Input as _csi_v1_PluginCapability__Input, PluginCapability as _csi_v1_PluginCapability } from '../../csi/v1/PluginCapability.js';

export interface GetPluginCapabilitiesResponse__Input {
  'capabilities'?: (_csi_v1_PluginCapability__Input)[];
}

export interface GetPluginCapabilitiesResponse {
  'capabilities': (_csi_v1_PluginCapability)[];
}
