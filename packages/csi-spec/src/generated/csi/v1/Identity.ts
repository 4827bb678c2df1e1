// Original file: proto/csi.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetPluginCapabilitiesRequest__Input as _csi_v1_GetPluginCapabilitiesRequest__Input, GetPluginCapabilitiesRequest as _csi_v1_GetPluginCapabilitiesRequest } from '../../csi/v1/GetPluginCapabilitiesRequest.js';
import type { GetPluginCapabilitiesResponse__Input as _csi_v1_GetPluginCapabilitiesResponse__Input, GetPluginCapabilitiesResponse as _csi_v1_GetPluginCapabilitiesResponse } from '../../csi/v1/GetPluginCapabilitiesResponse.js';
import type { GetPluginInfoRequest__Input as _csi_v1_GetPluginInfoRequest__Input, GetPluginInfoRequest as _csi_v1_GetPluginInfoRequest } from '../../csi/v1/GetPluginInfoRequest.js';
import type { GetPluginInfoResponse__Input as _csi_v1_GetPluginInfoResponse__Input, GetPluginInfoResponse as _csi_v1_GetPluginInfoResponse } from '../../csi/v1/GetPluginInfoResponse.js';
import type { ProbeRequest__Input as _csi_v1_ProbeRequest__Input, ProbeRequest as _csi_v1_ProbeRequest } from '../../csi/v1/ProbeRequest.js';
import type { ProbeResponse__Input as _csi_v1_ProbeResponse__Input, ProbeResponse as _csi_v1_ProbeResponse } from '../../csi/v1/ProbeResponse.js';

export interface IdentityClient extends grpc.Client {
  GetPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  GetPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  GetPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  GetPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  getPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  getPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  getPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  getPluginCapabilities(argument: _csi_v1_GetPluginCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_GetPluginCapabilitiesResponse>): grpc.ClientUnaryCall;
  
  GetPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  GetPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  GetPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  GetPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  getPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  getPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  getPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  getPluginInfo(argument: _csi_v1_GetPluginInfoRequest__Input, callback: grpc.requestCallback<_csi_v1_GetPluginInfoResponse>): grpc.ClientUnaryCall;
  
  Probe(argument: _csi_v1_ProbeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  Probe(argument: _csi_v1_ProbeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  Probe(argument: _csi_v1_ProbeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  Probe(argument: _csi_v1_ProbeRequest__Input, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  probe(argument: _csi_v1_ProbeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  probe(argument: _csi_v1_ProbeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  probe(argument: _csi_v1_ProbeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  probe(argument: _csi_v1_ProbeRequest__Input, callback: grpc.requestCallback<_csi_v1_ProbeResponse>): grpc.ClientUnaryCall;
  
}

export interface IdentityHandlers extends grpc.UntypedServiceImplementation {
  GetPluginCapabilities: grpc.handleUnaryCall<_csi_v1_GetPluginCapabilitiesRequest, _csi_v1_GetPluginCapabilitiesResponse__Input>;
  
  GetPluginInfo: grpc.handleUnaryCall<_csi_v1_GetPluginInfoRequest, _csi_v1_GetPluginInfoResponse__Input>;
  
  Probe: grpc.handleUnaryCall<_csi_v1_ProbeRequest, _csi_v1_ProbeResponse__Input>;
  
}

export interface IdentityDefinition extends grpc.ServiceDefinition {
  GetPluginCapabilities: MethodDefinition<_csi_v1_GetPluginCapabilitiesRequest__Input, _csi_v1_GetPluginCapabilitiesResponse__Input, _csi_v1_GetPluginCapabilitiesRequest, _csi_v1_GetPluginCapabilitiesResponse>
  GetPluginInfo: MethodDefinition<_csi_v1_GetPluginInfoRequest__Input, _csi_v1_GetPluginInfoResponse__Input, _csi_v1_GetPluginInfoRequest, _csi_v1_GetPluginInfoResponse>
  Probe: MethodDefinition<_csi_v1_ProbeRequest__Input, _csi_v1_ProbeResponse__Input, _csi_v1_ProbeRequest, _csi_v1_ProbeResponse>
}
