// Original file: proto/csi.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ControllerExpandVolumeRequest__Input as _csi_v1_ControllerExpandVolumeRequest__Input, ControllerExpandVolumeRequest as _csi_v1_ControllerExpandVolumeRequest } from '../../csi/v1/ControllerExpandVolumeRequest.js';
import type { ControllerExpandVolumeResponse__Input as _csi_v1_ControllerExpandVolumeResponse__Input, ControllerExpandVolumeResponse as _csi_v1_ControllerExpandVolumeResponse } from '../../csi/v1/ControllerExpandVolumeResponse.js';
import type { ControllerGetCapabilitiesRequest__Input as _csi_v1_ControllerGetCapabilitiesRequest__Input, ControllerGetCapabilitiesRequest as _csi_v1_ControllerGetCapabilitiesRequest } from '../../csi/v1/ControllerGetCapabilitiesRequest.js';
import type { ControllerGetCapabilitiesResponse__Input as _csi_v1_ControllerGetCapabilitiesResponse__Input, ControllerGetCapabilitiesResponse as _csi_v1_ControllerGetCapabilitiesResponse } from '../../csi/v1/ControllerGetCapabilitiesResponse.js';
import type { ControllerGetVolumeRequest__Input as _csi_v1_ControllerGetVolumeRequest__Input, ControllerGetVolumeRequest as _csi_v1_ControllerGetVolumeRequest } from '../../csi/v1/ControllerGetVolumeRequest.js';
import type { ControllerGetVolumeResponse__Input as _csi_v1_ControllerGetVolumeResponse__Input, ControllerGetVolumeResponse as _csi_v1_ControllerGetVolumeResponse } from '../../csi/v1/ControllerGetVolumeResponse.js';
import type { ControllerModifyVolumeRequest__Input as _csi_v1_ControllerModifyVolumeRequest__Input, ControllerModifyVolumeRequest as _csi_v1_ControllerModifyVolumeRequest } from '../../csi/v1/ControllerModifyVolumeRequest.js';
import type { ControllerModifyVolumeResponse__Input as _csi_v1_ControllerModifyVolumeResponse__Input, ControllerModifyVolumeResponse as _csi_v1_ControllerModifyVolumeResponse } from '../../csi/v1/ControllerModifyVolumeResponse.js';
import type { ControllerPublishVolumeRequest__Input as _csi_v1_ControllerPublishVolumeRequest__Input, ControllerPublishVolumeRequest as _csi_v1_ControllerPublishVolumeRequest } from '../../csi/v1/ControllerPublishVolumeRequest.js';
import type { ControllerPublishVolumeResponse__Input as _csi_v1_ControllerPublishVolumeResponse__Input, ControllerPublishVolumeResponse as _csi_v1_ControllerPublishVolumeResponse } from '../../csi/v1/ControllerPublishVolumeResponse.js';
import type { ControllerUnpublishVolumeRequest__Input as _csi_v1_ControllerUnpublishVolumeRequest__Input, ControllerUnpublishVolumeRequest as _csi_v1_ControllerUnpublishVolumeRequest } from '../../csi/v1/ControllerUnpublishVolumeRequest.js';
import type { ControllerUnpublishVolumeResponse__Input as _csi_v1_ControllerUnpublishVolumeResponse__Input, ControllerUnpublishVolumeResponse as _csi_v1_ControllerUnpublishVolumeResponse } from '../../csi/v1/ControllerUnpublishVolumeResponse.js';
import type { CreateSnapshotRequest__Input as _csi_v1_CreateSnapshotRequest__Input, CreateSnapshotRequest as _csi_v1_CreateSnapshotRequest } from '../../csi/v1/CreateSnapshotRequest.js';
import type { CreateSnapshotResponse__Input as _csi_v1_CreateSnapshotResponse__Input, CreateSnapshotResponse as _csi_v1_CreateSnapshotResponse } from '../../csi/v1/CreateSnapshotResponse.js';
import type { CreateVolumeRequest__Input as _csi_v1_CreateVolumeRequest__Input, CreateVolumeRequest as _csi_v1_CreateVolumeRequest } from '../../csi/v1/CreateVolumeRequest.js';
import type { CreateVolumeResponse__Input as _csi_v1_CreateVolumeResponse__Input, CreateVolumeResponse as _csi_v1_CreateVolumeResponse } from '../../csi/v1/CreateVolumeResponse.js';
import type { DeleteSnapshotRequest__Input as _csi_v1_DeleteSnapshotRequest__Input, DeleteSnapshotRequest as _csi_v1_DeleteSnapshotRequest } from '../../csi/v1/DeleteSnapshotRequest.js';
import type { DeleteSnapshotResponse__Input as _csi_v1_DeleteSnapshotResponse__Input, DeleteSnapshotResponse as _csi_v1_DeleteSnapshotResponse } from '../../csi/v1/DeleteSnapshotResponse.js';
import type { DeleteVolumeRequest__Input as _csi_v1_DeleteVolumeRequest__Input, DeleteVolumeRequest as _csi_v1_DeleteVolumeRequest } from '../../csi/v1/DeleteVolumeRequest.js';
import type { DeleteVolumeResponse__Input as _csi_v1_DeleteVolumeResponse__Input, DeleteVolumeResponse as _csi_v1_DeleteVolumeResponse } from '../../csi/v1/DeleteVolumeResponse.js';
import type { GetCapacityRequest__Input as _csi_v1_GetCapacityRequest__Input, GetCapacityRequest as _csi_v1_GetCapacityRequest } from '../../csi/v1/GetCapacityRequest.js';
import type { GetCapacityResponse__Input as _csi_v1_GetCapacityResponse__Input, GetCapacityResponse as _csi_v1_GetCapacityResponse } from '../../csi/v1/GetCapacityResponse.js';
import type { GetSnapshotRequest__Input as _csi_v1_GetSnapshotRequest__Input, GetSnapshotRequest as _csi_v1_GetSnapshotRequest } from '../../csi/v1/GetSnapshotRequest.js';
import type { GetSnapshotResponse__Input as _csi_v1_GetSnapshotResponse__Input, GetSnapshotResponse as _csi_v1_GetSnapshotResponse } from '../../csi/v1/GetSnapshotResponse.js';
import type { ListSnapshotsRequest__Input as _csi_v1_ListSnapshotsRequest__Input, ListSnapshotsRequest as _csi_v1_ListSnapshotsRequest } from '../../csi/v1/ListSnapshotsRequest.js';
import type { ListSnapshotsResponse__Input as _csi_v1_ListSnapshotsResponse__Input, ListSnapshotsResponse as _csi_v1_ListSnapshotsResponse } from '../../csi/v1/ListSnapshotsResponse.js';
import type { ListVolumesRequest__Input as _csi_v1_ListVolumesRequest__Input, ListVolumesRequest as _csi_v1_ListVolumesRequest } from '../../csi/v1/ListVolumesRequest.js';
import type { ListVolumesResponse__Input as _csi_v1_ListVolumesResponse__Input, ListVolumesResponse as _csi_v1_ListVolumesResponse } from '../../csi/v1/ListVolumesResponse.js';
import type { ValidateVolumeCapabilitiesRequest__Input as _csi_v1_ValidateVolumeCapabilitiesRequest__Input, ValidateVolumeCapabilitiesRequest as _csi_v1_ValidateVolumeCapabilitiesRequest } from '../../csi/v1/ValidateVolumeCapabilitiesRequest.js';
import type { ValidateVolumeCapabilitiesResponse__Input as _csi_v1_ValidateVolumeCapabilitiesResponse__Input, ValidateVolumeCapabilitiesResponse as _csi_v1_ValidateVolumeCapabilitiesResponse } from '../../csi/v1/ValidateVolumeCapabilitiesResponse.js';

export interface ControllerClient extends grpc.Client {
  ControllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  ControllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  ControllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  ControllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  controllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  controllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  controllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  controllerExpandVolume(argument: _csi_v1_ControllerExpandVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerExpandVolumeResponse>): grpc.ClientUnaryCall;
  
  ControllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  ControllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  ControllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  ControllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  controllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  controllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  controllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  controllerGetCapabilities(argument: _csi_v1_ControllerGetCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerGetCapabilitiesResponse>): grpc.ClientUnaryCall;
  
  ControllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  ControllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  ControllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  ControllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  controllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  controllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  controllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  controllerGetVolume(argument: _csi_v1_ControllerGetVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerGetVolumeResponse>): grpc.ClientUnaryCall;
  
  ControllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  ControllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  ControllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  ControllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  controllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  controllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  controllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  controllerModifyVolume(argument: _csi_v1_ControllerModifyVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerModifyVolumeResponse>): grpc.ClientUnaryCall;
  
  ControllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerPublishVolume(argument: _csi_v1_ControllerPublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerPublishVolumeResponse>): grpc.ClientUnaryCall;
  
  ControllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  ControllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  controllerUnpublishVolume(argument: _csi_v1_ControllerUnpublishVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_ControllerUnpublishVolumeResponse>): grpc.ClientUnaryCall;
  
  CreateSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  CreateSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  CreateSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  CreateSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  createSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  createSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  createSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  createSnapshot(argument: _csi_v1_CreateSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_CreateSnapshotResponse>): grpc.ClientUnaryCall;
  
  CreateVolume(argument: _csi_v1_CreateVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  CreateVolume(argument: _csi_v1_CreateVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  CreateVolume(argument: _csi_v1_CreateVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  CreateVolume(argument: _csi_v1_CreateVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  createVolume(argument: _csi_v1_CreateVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  createVolume(argument: _csi_v1_CreateVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  createVolume(argument: _csi_v1_CreateVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  createVolume(argument: _csi_v1_CreateVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_CreateVolumeResponse>): grpc.ClientUnaryCall;
  
  DeleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  DeleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  DeleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  DeleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  deleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  deleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  deleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  deleteSnapshot(argument: _csi_v1_DeleteSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_DeleteSnapshotResponse>): grpc.ClientUnaryCall;
  
  DeleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  DeleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  DeleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  DeleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  deleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  deleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  deleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  deleteVolume(argument: _csi_v1_DeleteVolumeRequest__Input, callback: grpc.requestCallback<_csi_v1_DeleteVolumeResponse>): grpc.ClientUnaryCall;
  
  GetCapacity(argument: _csi_v1_GetCapacityRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  GetCapacity(argument: _csi_v1_GetCapacityRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  GetCapacity(argument: _csi_v1_GetCapacityRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  GetCapacity(argument: _csi_v1_GetCapacityRequest__Input, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  getCapacity(argument: _csi_v1_GetCapacityRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  getCapacity(argument: _csi_v1_GetCapacityRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  getCapacity(argument: _csi_v1_GetCapacityRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  getCapacity(argument: _csi_v1_GetCapacityRequest__Input, callback: grpc.requestCallback<_csi_v1_GetCapacityResponse>): grpc.ClientUnaryCall;
  
  GetSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  getSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  getSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  getSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  getSnapshot(argument: _csi_v1_GetSnapshotRequest__Input, callback: grpc.requestCallback<_csi_v1_GetSnapshotResponse>): grpc.ClientUnaryCall;
  
  ListSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  ListSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  ListSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  ListSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  listSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  listSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  listSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  listSnapshots(argument: _csi_v1_ListSnapshotsRequest__Input, callback: grpc.requestCallback<_csi_v1_ListSnapshotsResponse>): grpc.ClientUnaryCall;
  
  ListVolumes(argument: _csi_v1_ListVolumesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  ListVolumes(argument: _csi_v1_ListVolumesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  ListVolumes(argument: _csi_v1_ListVolumesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  ListVolumes(argument: _csi_v1_ListVolumesRequest__Input, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  listVolumes(argument: _csi_v1_ListVolumesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  listVolumes(argument: _csi_v1_ListVolumesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  listVolumes(argument: _csi_v1_ListVolumesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  listVolumes(argument: _csi_v1_ListVolumesRequest__Input, callback: grpc.requestCallback<_csi_v1_ListVolumesResponse>): grpc.ClientUnaryCall;
  
  ValidateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  ValidateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  ValidateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  ValidateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  validateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  validateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  validateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  validateVolumeCapabilities(argument: _csi_v1_ValidateVolumeCapabilitiesRequest__Input, callback: grpc.requestCallback<_csi_v1_ValidateVolumeCapabilitiesResponse>): grpc.ClientUnaryCall;
  
}

export interface ControllerHandlers extends grpc.UntypedServiceImplementation {
  ControllerExpandVolume: grpc.handleUnaryCall<_csi_v1_ControllerExpandVolumeRequest, _csi_v1_ControllerExpandVolumeResponse__Input>;
  
  ControllerGetCapabilities: grpc.handleUnaryCall<_csi_v1_ControllerGetCapabilitiesRequest, _csi_v1_ControllerGetCapabilitiesResponse__Input>;
  
  ControllerGetVolume: grpc.handleUnaryCall<_csi_v1_ControllerGetVolumeRequest, _csi_v1_ControllerGetVolumeResponse__Input>;
  
  ControllerModifyVolume: grpc.handleUnaryCall<_csi_v1_ControllerModifyVolumeRequest, _csi_v1_ControllerModifyVolumeResponse__Input>;
  
  ControllerPublishVolume: grpc.handleUnaryCall<_csi_v1_ControllerPublishVolumeRequest, _csi_v1_ControllerPublishVolumeResponse__Input>;
  
  ControllerUnpublishVolume: grpc.handleUnaryCall<_csi_v1_ControllerUnpublishVolumeRequest, _csi_v1_ControllerUnpublishVolumeResponse__Input>;
  
  CreateSnapshot: grpc.handleUnaryCall<_csi_v1_CreateSnapshotRequest, _csi_v1_CreateSnapshotResponse__Input>;
  
  CreateVolume: grpc.handleUnaryCall<_csi_v1_CreateVolumeRequest, _csi_v1_CreateVolumeResponse__Input>;
  
  DeleteSnapshot: grpc.handleUnaryCall<_csi_v1_DeleteSnapshotRequest, _csi_v1_DeleteSnapshotResponse__Input>;
  
  DeleteVolume: grpc.handleUnaryCall<_csi_v1_DeleteVolumeRequest, _csi_v1_DeleteVolumeResponse__Input>;
  
  GetCapacity: grpc.handleUnaryCall<_csi_v1_GetCapacityRequest, _csi_v1_GetCapacityResponse__Input>;
  
  GetSnapshot: grpc.handleUnaryCall<_csi_v1_GetSnapshotRequest, _csi_v1_GetSnapshotResponse__Input>;
  
  ListSnapshots: grpc.handleUnaryCall<_csi_v1_ListSnapshotsRequest, _csi_v1_ListSnapshotsResponse__Input>;
  
  ListVolumes: grpc.handleUnaryCall<_csi_v1_ListVolumesRequest, _csi_v1_ListVolumesResponse__Input>;
  
  ValidateVolumeCapabilities: grpc.handleUnaryCall<_csi_v1_ValidateVolumeCapabilitiesRequest, _csi_v1_ValidateVolumeCapabilitiesResponse__Input>;
  
}

export interface ControllerDefinition extends grpc.ServiceDefinition {
  ControllerExpandVolume: MethodDefinition<_csi_v1_ControllerExpandVolumeRequest__Input, _csi_v1_ControllerExpandVolumeResponse__Input, _csi_v1_ControllerExpandVolumeRequest, _csi_v1_ControllerExpandVolumeResponse>
  ControllerGetCapabilities: MethodDefinition<_csi_v1_ControllerGetCapabilitiesRequest__Input, _csi_v1_ControllerGetCapabilitiesResponse__Input, _csi_v1_ControllerGetCapabilitiesRequest, _csi_v1_ControllerGetCapabilitiesResponse>
  ControllerGetVolume: MethodDefinition<_csi_v1_ControllerGetVolumeRequest__Input, _csi_v1_ControllerGetVolumeResponse__Input, _csi_v1_ControllerGetVolumeRequest, _csi_v1_ControllerGetVolumeResponse>
  ControllerModifyVolume: MethodDefinition<_csi_v1_ControllerModifyVolumeRequest__Input, _csi_v1_ControllerModifyVolumeResponse__Input, _csi_v1_ControllerModifyVolumeRequest, _csi_v1_ControllerModifyVolumeResponse>
  ControllerPublishVolume: MethodDefinition<_csi_v1_ControllerPublishVolumeRequest__Input, _csi_v1_ControllerPublishVolumeResponse__Input, _csi_v1_ControllerPublishVolumeRequest, _csi_v1_ControllerPublishVolumeResponse>
  ControllerUnpublishVolume: MethodDefinition<_csi_v1_ControllerUnpublishVolumeRequest__Input, _csi_v1_ControllerUnpublishVolumeResponse__Input, _csi_v1_ControllerUnpublishVolumeRequest, _csi_v1_ControllerUnpublishVolumeResponse>
  CreateSnapshot: MethodDefinition<_csi_v1_CreateSnapshotRequest__Input, _csi_v1_CreateSnapshotResponse__Input, _csi_v1_CreateSnapshotRequest, _csi_v1_CreateSnapshotResponse>
  CreateVolume: MethodDefinition<_csi_v1_CreateVolumeRequest__Input, _csi_v1_CreateVolumeResponse__Input, _csi_v1_CreateVolumeRequest, _csi_v1_CreateVolumeResponse>
  DeleteSnapshot: MethodDefinition<_csi_v1_DeleteSnapshotRequest__Input, _csi_v1_DeleteSnapshotResponse__Input, _csi_v1_DeleteSnapshotRequest, _csi_v1_DeleteSnapshotResponse>
  DeleteVolume: MethodDefinition<_csi_v1_DeleteVolumeRequest__Input, _csi_v1_DeleteVolumeResponse__Input, _csi_v1_DeleteVolumeRequest, _csi_v1_DeleteVolumeResponse>
  GetCapacity: MethodDefinition<_csi_v1_GetCapacityRequest__Input, _csi_v1_GetCapacityResponse__Input, _csi_v1_GetCapacityRequest, _csi_v1_GetCapacityResponse>
  GetSnapshot: MethodDefinition<_csi_v1_GetSnapshotRequest__Input, _csi_v1_GetSnapshotResponse__Input, _csi_v1_GetSnapshotRequest, _csi_v1_GetSnapshotResponse>
  ListSnapshots: MethodDefinition<_csi_v1_ListSnapshotsRequest__Input, _csi_v1_ListSnapshotsResponse__Input, _csi_v1_ListSnapshotsRequest, _csi_v1_ListSnapshotsResponse>
  ListVolumes: MethodDefinition<_csi_v1_ListVolumesRequest__Input, _csi_v1_ListVolumesResponse__Input, _csi_v1_ListVolumesRequest, _csi_v1_ListVolumesResponse>
  ValidateVolumeCapabilities: MethodDefinition<_csi_v1_ValidateVolumeCapabilitiesRequest__Input, _csi_v1_ValidateVolumeCapabilitiesResponse__Input, _csi_v1_ValidateVolumeCapabilitiesRequest, _csi_v1_ValidateVolumeCapabilitiesResponse>
}
