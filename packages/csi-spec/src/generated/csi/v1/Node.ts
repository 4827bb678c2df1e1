// Original file: proto/csi.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { NodeExpandVolumeRequest__Input as _csi_v1_NodeExpandVolumeRequest__Input, NodeExpandVolumeRequest as _csi_v1_NodeExpandVolumeRequest } from '../../csi/v1/NodeExpandVolumeRequest.js';
import type { NodeExpandVolumeResponse__Input as _csi_v1_NodeExpandVolumeResponse__Input, NodeExpandVolumeResponse as _csi_v1_NodeExpandVolumeResponse } from '../../csi/v1/NodeExpandVolumeResponse.js';
import type { NodeGetCapabilitiesRequest__Input as _csi_v1_NodeGetCapabilitiesRequest__Input, NodeGetCapabilitiesRequest as _csi_v1_NodeGetCapabilitiesRequest } from '../../csi/v1/NodeGetCapabilitiesRequest.js';
import type { NodeGetCapabilitiesResponse__Input as _csi_v1_NodeGetCapabilitiesResponse__Input, NodeGetCapabilitiesResponse as _csi_v1_NodeGetCapabilitiesResponse } from '../../csi/v1/NodeGetCapabilitiesResponse.js';
import type { NodeGetInfoRequest__Input as _csi_v1_NodeGetInfoRequest__Input, NodeGetInfoRequest as _csi_v1_NodeGetInfoRequest } from '../../csi/v1/NodeGetInfoRequest.js';
import type { NodeGetInfoResponse__Input as _csi_v1_NodeGetInfoResponse__Input, NodeGetInfoResponse as _csi_v1_NodeGetInfoResponse } from '../../csi/v1/NodeGetInfoResponse.js';
import type { NodeGetVolumeStatsRequest__Input as _csi_v1_NodeGetVolumeStatsRequest__Input, NodeGetVolumeStatsRequest as _csi_v1_NodeGetVolumeStatsRequest } from '../../csi/v1/NodeGetVolumeStatsRequest.js';
import type { NodeGetVolumeStatsResponse__Input as _csi_v1_NodeGetVolumeStatsResponse__Input, NodeGetVolumeStatsResponse as _csi_v1_NodeGetVolumeStatsResponse } from '../../csi/v1/NodeGetVolumeStatsResponse.js';
import type { NodePublishVolumeRequest__Input as _csi_v1_NodePublishVolumeRequest__Input, NodePublishVolumeRequest as _csi_v1_NodePublishVolumeRequest } from '../../csi/v1/NodePublishVolumeRequest.js';
import type { NodePublishVolumeResponse__Input as _csi_v1_NodePublishVolumeResponse__Input, NodePublishVolumeResponse as _csi_v1_NodePublishVolumeResponse } from '../../csi/v1/NodePublishVolumeResponse.js';
import type { NodeStageVolumeRequest__Input as _csi_v1_NodeStageVolumeRequest__Input, NodeStageVolumeRequest as _csi_v1_NodeStageVolumeRequest } from '../../csi/v1/NodeStageVolumeRequest.js';
import type { NodeStageVolumeResponse__Input as _csi_v1_NodeStageVolumeResponse__Input, NodeStageVolumeResponse as _csi_v1_NodeStageVolumeResponse } from '../../csi/v1/NodeStageVolumeResponse.js';
import type { NodeUnpublishVolumeRequest__Input as _csi_v1_NodeUnpublishVolumeRequest__Input, NodeUnpublishVolumeRequest as _csi_v1_NodeUnpublishVolumeRequest } from '../../csi/v1/NodeUnpublishVolumeRequest.js';
import type { NodeUnpublishVolumeResponse__Input as _csi_v1_NodeUnpublishVolumeResponse__Input, NodeUnpublishVolumeResponse as _csi_v1_NodeUnpublishVolumeResponse } from '../../csi/v1/NodeUnpublishVolumeResponse.js';
import type { NodeUnstageVolumeRequest__Input as _csi_v1_NodeUnstageVolumeRequest__Input, NodeUnstageVolumeRequest as _csi_v1_NodeUnstageVolumeRequest } from '../../csi/v1/NodeUnstageVolumeRequest.js';
import type { NodeUnstageVolumeResponse__Input as _csi_v1_NodeUnstageVolumeResponse__Input, NodeUnstageVolumeResponse as _csi_v1_NodeUnstageVolumeResponse } from '../../csi/v1/NodeUnstageVolumeResponse.js';

export interface NodeClient extends grpc.Client {
  NodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  NodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  NodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  NodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  nodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  nodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  nodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  nodeExpandVolume(argument: _csi_v1_NodeExpandVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeExpandVolumeResponse>): grpc.ClientUnaryCall;
  
  NodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  NodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  NodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  NodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  nodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  nodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  nodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  nodeGetCapabilities(argument: _csi_v1_NodeGetCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  
  NodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  NodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  NodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  NodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  nodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  nodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  nodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  nodeGetInfo(argument: _csi_v1_NodeGetInfoRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetInfoResponse>): grpc.ClientUnaryCall;
  
  NodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  NodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  NodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  NodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  nodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  nodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  nodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  nodeGetVolumeStats(argument: _csi_v1_NodeGetVolumeStatsRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeGetVolumeStatsResponse>): grpc.ClientUnaryCall;
  
  NodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  NodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  NodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  NodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  nodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  nodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  nodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  nodePublishVolume(argument: _csi_v1_NodePublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodePublishVolumeResponse>): grpc.ClientUnaryCall;
  
  NodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  NodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  NodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  NodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  nodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  nodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  nodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  nodeStageVolume(argument: _csi_v1_NodeStageVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeStageVolumeResponse>): grpc.ClientUnaryCall;
  
  NodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnpublishVolume(argument: _csi_v1_NodeUnpublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  
  NodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  NodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  nodeUnstageVolume(argument: _csi_v1_NodeUnstageVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_NodeUnstageVolumeResponse>): grpc.ClientUnaryCall;
  
}

export interface NodeHandlers extends grpc.UntypedServiceImplementation {
  NodeExpandVolume: grpc.handleUnaryCall<_csi_v1_NodeExpandVolumeRequest, _csi_v1_NodeExpandVolumeResponse__Input>;
  
  NodeGetCapabilities: grpc.handleUnaryCall<_csi_v1_NodeGetCapabilitiesRequest, _csi_v1_NodeGetCapabilitiesResponse__Input>;
  
  NodeGetInfo: grpc.handleUnaryCall<_csi_v1_NodeGetInfoRequest, _csi_v1_NodeGetInfoResponse__Input>;
  
  NodeGetVolumeStats: grpc.handleUnaryCall<_csi_v1_NodeGetVolumeStatsRequest, _csi_v1_NodeGetVolumeStatsResponse__Input>;
  
  NodePublishVolume: grpc.handleUnaryCall<_csi_v1_NodePublishVolumeRequest, _csi_v1_NodePublishVolumeResponse__Input>;
  
  NodeStageVolume: grpc.handleUnaryCall<_csi_v1_NodeStageVolumeRequest, _csi_v1_NodeStageVolumeResponse__Input>;
  
  NodeUnpublishVolume: grpc.handleUnaryCall<_csi_v1_NodeUnpublishVolumeRequest, _csi_v1_NodeUnpublishVolumeResponse__Input>;
  
  NodeUnstageVolume: grpc.handleUnaryCall<_csi_v1_NodeUnstageVolumeRequest, _csi_v1_NodeUnstageVolumeResponse__Input>;
  
}

export interface NodeDefinition extends grpc.ServiceDefinition {
  NodeExpandVolume: MethodDefinition<_csi_v1_NodeExpandVolumeRequest__Input, _csi_v1_NodeExpandVolumeResponse__Input, _csi_v1_NodeExpandVolumeRequest, _csi_v1_NodeExpandVolumeResponse>
  NodeGetCapabilities: MethodDefinition<_csi_v1_NodeGetCapabilitiesRequest__Input, _csi_v1_NodeGetCapabilitiesResponse__Input, _csi_v1_NodeGetCapabilitiesRequest, _csi_v1_NodeGetCapabilitiesResponse>
  NodeGetInfo: MethodDefinition<_csi_v1_NodeGetInfoRequest__Input, _csi_v1_NodeGetInfoResponse__Input, _csi_v1_NodeGetInfoRequest, _csi_v1_NodeGetInfoResponse>
  NodeGetVolumeStats: MethodDefinition<_csi_v1_NodeGetVolumeStatsRequest__Input, _csi_v1_NodeGetVolumeStatsResponse__Input, _csi_v1_NodeGetVolumeStatsRequest, _csi_v1_NodeGetVolumeStatsResponse>
  NodePublishVolume: MethodDefinition<_csi_v1_NodePublishVolumeRequest__Input, _csi_v1_NodePublishVolumeResponse__Input, _csi_v1_NodePublishVolumeRequest, _csi_v1_NodePublishVolumeResponse>
  NodeStageVolume: MethodDefinition<_csi_v1_NodeStageVolumeRequest__Input, _csi_v1_NodeStageVolumeResponse__Input, _csi_v1_NodeStageVolumeRequest, _csi_v1_NodeStageVolumeResponse>
  NodeUnpublishVolume: MethodDefinition<_csi_v1_NodeUnpublishVolumeRequest__Input, _csi_v1_NodeUnpublishVolumeResponse__Input, _csi_v1_NodeUnpublishVolumeRequest, _csi_v1_NodeUnpublishVolumeResponse>
  NodeUnstageVolume: MethodDefinition<_csi_v1_NodeUnstageVolumeRequest__Input, _csi_v1_NodeUnstageVolumeResponse__Input, _csi_v1_NodeUnstageVolumeRequest, _csi_v1_NodeUnstageVolumeResponse>
}
