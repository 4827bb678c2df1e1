import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CapacityRange__Input as _csi_v1_CapacityRange__Input, CapacityRange as _csi_v1_CapacityRange } from './csi/v1/CapacityRange.js';
import type { ControllerClient as _csi_v1_ControllerClient, ControllerDefinition as _csi_v1_ControllerDefinition } from './csi/v1/Controller.js';
import type { ControllerExpandVolumeRequest__Input as _csi_v1_ControllerExpandVolumeRequest__Input, ControllerExpandVolumeRequest as _csi_v1_ControllerExpandVolumeRequest } from './csi/v1/ControllerExpandVolumeRequest.js';
import type { ControllerExpandVolumeResponse__Input as _csi_v1_ControllerExpandVolumeResponse__Input, ControllerExpandVolumeResponse as _csi_v1_ControllerExpandVolumeResponse } from './csi/v1/ControllerExpandVolumeResponse.js';
import type { ControllerGetCapabilitiesRequest__Input as _csi_v1_ControllerGetCapabilitiesRequest__Input, ControllerGetCapabilitiesRequest as _csi_v1_ControllerGetCapabilitiesRequest } from './csi/v1/ControllerGetCapabilitiesRequest.js';
import type { ControllerGetCapabilitiesResponse__Input as _csi_v1_ControllerGetCapabilitiesResponse__Input, ControllerGetCapabilitiesResponse as _csi_v1_ControllerGetCapabilitiesResponse } from './csi/v1/ControllerGetCapabilitiesResponse.js';
import type { ControllerGetVolumeRequest__Input as _csi_v1_ControllerGetVolumeRequest__Input, ControllerGetVolumeRequest as _csi_v1_ControllerGetVolumeRequest } from './csi/v1/ControllerGetVolumeRequest.js';
import type { ControllerGetVolumeResponse__Input as _csi_v1_ControllerGetVolumeResponse__Input, ControllerGetVolumeResponse as _csi_v1_ControllerGetVolumeResponse } from './csi/v1/ControllerGetVolumeResponse.js';
import type { ControllerModifyVolumeRequest__Input as _csi_v1_ControllerModifyVolumeRequest__Input, ControllerModifyVolumeRequest as _csi_v1_ControllerModifyVolumeRequest } from './csi/v1/ControllerModifyVolumeRequest.js';
import type { ControllerModifyVolumeResponse__Input as _csi_v1_ControllerModifyVolumeResponse__Input, ControllerModifyVolumeResponse as _csi_v1_ControllerModifyVolumeResponse } from './csi/v1/ControllerModifyVolumeResponse.js';
import type { ControllerPublishVolumeRequest__Input as _csi_v1_ControllerPublishVolumeRequest__Input, ControllerPublishVolumeRequest as _csi_v1_ControllerPublishVolumeRequest } from './csi/v1/ControllerPublishVolumeRequest.js';
import type { ControllerPublishVolumeResponse__Input as _csi_v1_ControllerPublishVolumeResponse__Input, ControllerPublishVolumeResponse as _csi_v1_ControllerPublishVolumeResponse } from './csi/v1/ControllerPublishVolumeResponse.js';
import type { ControllerServiceCapability__Input as _csi_v1_ControllerServiceCapability__Input, ControllerServiceCapability as _csi_v1_ControllerServiceCapability } from './csi/v1/ControllerServiceCapability.js';
import type { ControllerUnpublishVolumeRequest__Input as _csi_v1_ControllerUnpublishVolumeRequest__Input, ControllerUnpublishVolumeRequest as _csi_v1_ControllerUnpublishVolumeRequest } from './csi/v1/ControllerUnpublishVolumeRequest.js';
import type { ControllerUnpublishVolumeResponse__Input as _csi_v1_ControllerUnpublishVolumeResponse__Input, ControllerUnpublishVolumeResponse as _csi_v1_ControllerUnpublishVolumeResponse } from './csi/v1/ControllerUnpublishVolumeResponse.js';
import type { CreateSnapshotRequest__Input as _csi_v1_CreateSnapshotRequest__Input, CreateSnapshotRequest as _csi_v1_CreateSnapshotRequest } from './csi/v1/CreateSnapshotRequest.js';
import type { CreateSnapshotResponse__Input as _csi_v1_CreateSnapshotResponse__Input, CreateSnapshotResponse as _csi_v1_CreateSnapshotResponse } from './csi/v1/CreateSnapshotResponse.js';
import type { CreateVolumeRequest__Input as _csi_v1_CreateVolumeRequest__Input, CreateVolumeRequest as _csi_v1_CreateVolumeRequest } from './csi/v1/CreateVolumeRequest.js';
import type { CreateVolumeResponse__Input as _csi_v1_CreateVolumeResponse__Input, CreateVolumeResponse as _csi_v1_CreateVolumeResponse } from './csi/v1/CreateVolumeResponse.js';
import type { DeleteSnapshotRequest__Input as _csi_v1_DeleteSnapshotRequest__Input, DeleteSnapshotRequest as _csi_v1_DeleteSnapshotRequest } from './csi/v1/DeleteSnapshotRequest.js';
import type { DeleteSnapshotResponse__Input as _csi_v1_DeleteSnapshotResponse__Input, DeleteSnapshotResponse as _csi_v1_DeleteSnapshotResponse } from './csi/v1/DeleteSnapshotResponse.js';
import type { DeleteVolumeRequest__Input as _csi_v1_DeleteVolumeRequest__Input, DeleteVolumeRequest as _csi_v1_DeleteVolumeRequest } from './csi/v1/DeleteVolumeRequest.js';
import type { DeleteVolumeResponse__Input as _csi_v1_DeleteVolumeResponse__Input, DeleteVolumeResponse as _csi_v1_DeleteVolumeResponse } from './csi/v1/DeleteVolumeResponse.js';
import type { GetCapacityRequest__Input as _csi_v1_GetCapacityRequest__Input, GetCapacityRequest as _csi_v1_GetCapacityRequest } from './csi/v1/GetCapacityRequest.js';
import type { GetCapacityResponse__Input as _csi_v1_GetCapacityResponse__Input, GetCapacityResponse as _csi_v1_GetCapacityResponse } from './csi/v1/GetCapacityResponse.js';
import type { GetPluginCapabilitiesRequest__Input as _csi_v1_GetPluginCapabilitiesRequest__Input, GetPluginCapabilitiesRequest as _csi_v1_GetPluginCapabilitiesRequest } from './csi/v1/GetPluginCapabilitiesRequest.js';
import type { GetPluginCapabilitiesResponse__Input as _csi_v1_GetPluginCapabilitiesResponse__Input, GetPluginCapabilitiesResponse as _csi_v1_GetPluginCapabilitiesResponse } from './csi/v1/GetPluginCapabilitiesResponse.js';
import type { GetPluginInfoRequest__Input as _csi_v1_GetPluginInfoRequest__Input, GetPluginInfoRequest as _csi_v1_GetPluginInfoRequest } from './csi/v1/GetPluginInfoRequest.js';
import type { GetPluginInfoResponse__Input as _csi_v1_GetPluginInfoResponse__Input, GetPluginInfoResponse as _csi_v1_GetPluginInfoResponse } from './csi/v1/GetPluginInfoResponse.js';
import type { GetSnapshotRequest__Input as _csi_v1_GetSnapshotRequest__Input, GetSnapshotRequest as _csi_v1_GetSnapshotRequest } from './csi/v1/GetSnapshotRequest.js';
import type { GetSnapshotResponse__Input as _csi_v1_GetSnapshotResponse__Input, GetSnapshotResponse as _csi_v1_GetSnapshotResponse } from './csi/v1/GetSnapshotResponse.js';
import type { IdentityClient as _csi_v1_IdentityClient, IdentityDefinition as _csi_v1_IdentityDefinition } from './csi/v1/Identity.js';
import type { ListSnapshotsRequest__Input as _csi_v1_ListSnapshotsRequest__Input, ListSnapshotsRequest as _csi_v1_ListSnapshotsRequest } from './csi/v1/ListSnapshotsRequest.js';
import type { ListSnapshotsResponse__Input as _csi_v1_ListSnapshotsResponse__Input, ListSnapshotsResponse as _csi_v1_ListSnapshotsResponse } from './csi/v1/ListSnapshotsResponse.js';
import type { ListVolumesRequest__Input as _csi_v1_ListVolumesRequest__Input, ListVolumesRequest as _csi_v1_ListVolumesRequest } from './csi/v1/ListVolumesRequest.js';
import type { ListVolumesResponse__Input as _csi_v1_ListVolumesResponse__Input, ListVolumesResponse as _csi_v1_ListVolumesResponse } from './csi/v1/ListVolumesResponse.js';
import type { NodeClient as _csi_v1_NodeClient, NodeDefinition as _csi_v1_NodeDefinition } from './csi/v1/Node.js';
import type { NodeExpandVolumeRequest__Input as _csi_v1_NodeExpandVolumeRequest__Input, NodeExpandVolumeRequest as _csi_v1_NodeExpandVolumeRequest } from './csi/v1/NodeExpandVolumeRequest.js';
import type { NodeExpandVolumeResponse__Input as _csi_v1_NodeExpandVolumeResponse__Input, NodeExpandVolumeResponse as _csi_v1_NodeExpandVolumeResponse } from './csi/v1/NodeExpandVolumeResponse.js';
import type { NodeGetCapabilitiesRequest__Input as _csi_v1_NodeGetCapabilitiesRequest__Input, NodeGetCapabilitiesRequest as _csi_v1_NodeGetCapabilitiesRequest } from './csi/v1/NodeGetCapabilitiesRequest.js';
import type { NodeGetCapabilitiesResponse__Input as _csi_v1_NodeGetCapabilitiesResponse__Input, NodeGetCapabilitiesResponse as _csi_v1_NodeGetCapabilitiesResponse } from './csi/v1/NodeGetCapabilitiesResponse.js';
import type { NodeGetInfoRequest__Input as _csi_v1_NodeGetInfoRequest__Input, NodeGetInfoRequest as _csi_v1_NodeGetInfoRequest } from './csi/v1/NodeGetInfoRequest.js';
import type { NodeGetInfoResponse__Input as _csi_v1_NodeGetInfoResponse__Input, NodeGetInfoResponse as _csi_v1_NodeGetInfoResponse } from './csi/v1/NodeGetInfoResponse.js';
import type { NodeGetVolumeStatsRequest__Input as _csi_v1_NodeGetVolumeStatsRequest__Input, NodeGetVolumeStatsRequest as _csi_v1_NodeGetVolumeStatsRequest } from './csi/v1/NodeGetVolumeStatsRequest.js';
import type { NodeGetVolumeStatsResponse__Input as _csi_v1_NodeGetVolumeStatsResponse__Input, NodeGetVolumeStatsResponse as _csi_v1_NodeGetVolumeStatsResponse } from './csi/v1/NodeGetVolumeStatsResponse.js';
import type { NodePublishVolumeRequest__Input as _csi_v1_NodePublishVolumeRequest__Input, NodePublishVolumeRequest as _csi_v1_NodePublishVolumeRequest } from './csi/v1/NodePublishVolumeRequest.js';
import type { NodePublishVolumeResponse__Input as _csi_v1_NodePublishVolumeResponse__Input, NodePublishVolumeResponse as _csi_v1_NodePublishVolumeResponse } from './csi/v1/NodePublishVolumeResponse.js';
import type { NodeServiceCapability__Input as _csi_v1_NodeServiceCapability__Input, NodeServiceCapability as _csi_v1_NodeServiceCapability } from './csi/v1/NodeServiceCapability.js';
import type { NodeStageVolumeRequest__Input as _csi_v1_NodeStageVolumeRequest__Input, NodeStageVolumeRequest as _csi_v1_NodeStageVolumeRequest } from './csi/v1/NodeStageVolumeRequest.js';
import type { NodeStageVolumeResponse__Input as _csi_v1_NodeStageVolumeResponse__Input, NodeStageVolumeResponse as _csi_v1_NodeStageVolumeResponse } from './csi/v1/NodeStageVolumeResponse.js';
import type { NodeUnpublishVolumeRequest__Input as _csi_v1_NodeUnpublishVolumeRequest__Input, NodeUnpublishVolumeRequest as _csi_v1_NodeUnpublishVolumeRequest } from './csi/v1/NodeUnpublishVolumeRequest.js';
import type { NodeUnpublishVolumeResponse__Input as _csi_v1_NodeUnpublishVolumeResponse__Input, NodeUnpublishVolumeResponse as _csi_v1_NodeUnpublishVolumeResponse } from './csi/v1/NodeUnpublishVolumeResponse.js';
import type { NodeUnstageVolumeRequest__Input as _csi_v1_NodeUnstageVolumeRequest__Input, NodeUnstageVolumeRequest as _csi_v1_NodeUnstageVolumeRequest } from './csi/v1/NodeUnstageVolumeRequest.js';
import type { NodeUnstageVolumeResponse__Input as _csi_v1_NodeUnstageVolumeResponse__Input, NodeUnstageVolumeResponse as _csi_v1_NodeUnstageVolumeResponse } from './csi/v1/NodeUnstageVolumeResponse.js';
import type { PluginCapability__Input as _csi_v1_PluginCapability__Input, PluginCapability as _csi_v1_PluginCapability } from './csi/v1/PluginCapability.js';
import type { ProbeRequest__Input as _csi_v1_ProbeRequest__Input, ProbeRequest as _csi_v1_ProbeRequest } from './csi/v1/ProbeRequest.js';
import type { ProbeResponse__Input as _csi_v1_ProbeResponse__Input, ProbeResponse as _csi_v1_ProbeResponse } from './csi/v1/ProbeResponse.js';
import type { Snapshot__Input as _csi_v1_Snapshot__Input, Snapshot as _csi_v1_Snapshot } from './csi/v1/Snapshot.js';
import type { Topology__Input as _csi_v1_Topology__Input, Topology as _csi_v1_Topology } from './csi/v1/Topology.js';
import type { TopologyRequirement__Input as _csi_v1_TopologyRequirement__Input, TopologyRequirement as _csi_v1_TopologyRequirement } from './csi/v1/TopologyRequirement.js';
import type { ValidateVolumeCapabilitiesRequest__Input as _csi_v1_ValidateVolumeCapabilitiesRequest__Input, ValidateVolumeCapabilitiesRequest as _csi_v1_ValidateVolumeCapabilitiesRequest } from './csi/v1/ValidateVolumeCapabilitiesRequest.js';
import type { ValidateVolumeCapabilitiesResponse__Input as _csi_v1_ValidateVolumeCapabilitiesResponse__Input, ValidateVolumeCapabilitiesResponse as _csi_v1_ValidateVolumeCapabilitiesResponse } from './csi/v1/ValidateVolumeCapabilitiesResponse.js';
import type { Volume__Input as _csi_v1_Volume__Input, Volume as _csi_v1_Volume } from './csi/v1/Volume.js';
import type { VolumeCapability__Input as _csi_v1_VolumeCapability__Input, VolumeCapability as _csi_v1_VolumeCapability } from './csi/v1/VolumeCapability.js';
import type { VolumeCondition__Input as _csi_v1_VolumeCondition__Input, VolumeCondition as _csi_v1_VolumeCondition } from './csi/v1/VolumeCondition.js';
import type { VolumeContentSource__Input as _csi_v1_VolumeContentSource__Input, VolumeContentSource as _csi_v1_VolumeContentSource } from './csi/v1/VolumeContentSource.js';
import type { VolumeUsage__Input as _csi_v1_VolumeUsage__Input, VolumeUsage as _csi_v1_VolumeUsage } from './csi/v1/VolumeUsage.js';
import type { BoolValue__Input as _google_protobuf_BoolValue__Input, BoolValue as _google_protobuf_BoolValue } from './google/protobuf/BoolValue.js';
import type { BytesValue__Input as _google_protobuf_BytesValue__Input, BytesValue as _google_protobuf_BytesValue } from './google/protobuf/BytesValue.js';
import type { DescriptorProto__Input as _google_protobuf_DescriptorProto__Input, DescriptorProto as _google_protobuf_DescriptorProto } from './google/protobuf/DescriptorProto.js';
import type { DoubleValue__Input as _google_protobuf_DoubleValue__Input, DoubleValue as _google_protobuf_DoubleValue } from './google/protobuf/DoubleValue.js';
import type { EnumDescriptorProto__Input as _google_protobuf_EnumDescriptorProto__Input, EnumDescriptorProto as _google_protobuf_EnumDescriptorProto } from './google/protobuf/EnumDescriptorProto.js';
import type { EnumOptions__Input as _google_protobuf_EnumOptions__Input, EnumOptions as _google_protobuf_EnumOptions } from './google/protobuf/EnumOptions.js';
import type { EnumValueDescriptorProto__Input as _google_protobuf_EnumValueDescriptorProto__Input, EnumValueDescriptorProto as _google_protobuf_EnumValueDescriptorProto } from './google/protobuf/EnumValueDescriptorProto.js';
import type { EnumValueOptions__Input as _google_protobuf_EnumValueOptions__Input, EnumValueOptions as _google_protobuf_EnumValueOptions } from './google/protobuf/EnumValueOptions.js';
import type { ExtensionRangeOptions__Input as _google_protobuf_ExtensionRangeOptions__Input, ExtensionRangeOptions as _google_protobuf_ExtensionRangeOptions } from './google/protobuf/ExtensionRangeOptions.js';
import type { FeatureSet__Input as _google_protobuf_FeatureSet__Input, FeatureSet as _google_protobuf_FeatureSet } from './google/protobuf/FeatureSet.js';
import type { FeatureSetDefaults__Input as _google_protobuf_FeatureSetDefaults__Input, FeatureSetDefaults as _google_protobuf_FeatureSetDefaults } from './google/protobuf/FeatureSetDefaults.js';
import type { FieldDescriptorProto__Input as _google_protobuf_FieldDescriptorProto__Input, FieldDescriptorProto as _google_protobuf_FieldDescriptorProto } from './google/protobuf/FieldDescriptorProto.js';
import type { FieldOptions__Input as _google_protobuf_FieldOptions__Input, FieldOptions as _google_protobuf_FieldOptions } from './google/protobuf/FieldOptions.js';
import type { FileDescriptorProto__Input as _google_protobuf_FileDescriptorProto__Input, FileDescriptorProto as _google_protobuf_FileDescriptorProto } from './google/protobuf/FileDescriptorProto.js';
import type { FileDescriptorSet__Input as _google_protobuf_FileDescriptorSet__Input, FileDescriptorSet as _google_protobuf_FileDescriptorSet } from './google/protobuf/FileDescriptorSet.js';
import type { FileOptions__Input as _google_protobuf_FileOptions__Input, FileOptions as _google_protobuf_FileOptions } from './google/protobuf/FileOptions.js';
import type { FloatValue__Input as _google_protobuf_FloatValue__Input, FloatValue as _google_protobuf_FloatValue } from './google/protobuf/FloatValue.js';
import type { GeneratedCodeInfo__Input as _google_protobuf_GeneratedCodeInfo__Input, GeneratedCodeInfo as _google_protobuf_GeneratedCodeInfo } from './google/protobuf/GeneratedCodeInfo.js';
import type { Int32Value__Input as _google_protobuf_Int32Value__Input, Int32Value as _google_protobuf_Int32Value } from './google/protobuf/Int32Value.js';
import type { Int64Value__Input as _google_protobuf_Int64Value__Input, Int64Value as _google_protobuf_Int64Value } from './google/protobuf/Int64Value.js';
import type { MessageOptions__Input as _google_protobuf_MessageOptions__Input, MessageOptions as _google_protobuf_MessageOptions } from './google/protobuf/MessageOptions.js';
import type { MethodDescriptorProto__Input as _google_protobuf_MethodDescriptorProto__Input, MethodDescriptorProto as _google_protobuf_MethodDescriptorProto } from './google/protobuf/MethodDescriptorProto.js';
import type { MethodOptions__Input as _google_protobuf_MethodOptions__Input, MethodOptions as _google_protobuf_MethodOptions } from './google/protobuf/MethodOptions.js';
import type { OneofDescriptorProto__Input as _google_protobuf_OneofDescriptorProto__Input, OneofDescriptorProto as _google_protobuf_OneofDescriptorProto } from './google/protobuf/OneofDescriptorProto.js';
import type { OneofOptions__Input as _google_protobuf_OneofOptions__Input, OneofOptions as _google_protobuf_OneofOptions } from './google/protobuf/OneofOptions.js';
import type { ServiceDescriptorProto__Input as _google_protobuf_ServiceDescriptorProto__Input, ServiceDescriptorProto as _google_protobuf_ServiceDescriptorProto } from './google/protobuf/ServiceDescriptorProto.js';
import type { ServiceOptions__Input as _google_protobuf_ServiceOptions__Input, ServiceOptions as _google_protobuf_ServiceOptions } from './google/protobuf/ServiceOptions.js';
import type { SourceCodeInfo__Input as _google_protobuf_SourceCodeInfo__Input, SourceCodeInfo as _google_protobuf_SourceCodeInfo } from './google/protobuf/SourceCodeInfo.js';
import type { StringValue__Input as _google_protobuf_StringValue__Input, StringValue as _google_protobuf_StringValue } from './google/protobuf/StringValue.js';
import type { Timestamp__Input as _google_protobuf_Timestamp__Input, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { UInt32Value__Input as _google_protobuf_UInt32Value__Input, UInt32Value as _google_protobuf_UInt32Value } from './google/protobuf/UInt32Value.js';
import type { UInt64Value__Input as _google_protobuf_UInt64Value__Input, UInt64Value as _google_protobuf_UInt64Value } from './google/protobuf/UInt64Value.js';
import type { UninterpretedOption__Input as _google_protobuf_UninterpretedOption__Input, UninterpretedOption as _google_protobuf_UninterpretedOption } from './google/protobuf/UninterpretedOption.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  csi: {
    v1: {
      CapacityRange: MessageTypeDefinition<_csi_v1_CapacityRange__Input, _csi_v1_CapacityRange>
      Controller: SubtypeConstructor<typeof grpc.Client, _csi_v1_ControllerClient> & { service: _csi_v1_ControllerDefinition }
      ControllerExpandVolumeRequest: MessageTypeDefinition<_csi_v1_ControllerExpandVolumeRequest__Input, _csi_v1_ControllerExpandVolumeRequest>
      ControllerExpandVolumeResponse: MessageTypeDefinition<_csi_v1_ControllerExpandVolumeResponse__Input, _csi_v1_ControllerExpandVolumeResponse>
      ControllerGetCapabilitiesRequest: MessageTypeDefinition<_csi_v1_ControllerGetCapabilitiesRequest__Input, _csi_v1_ControllerGetCapabilitiesRequest>
      ControllerGetCapabilitiesResponse: MessageTypeDefinition<_csi_v1_ControllerGetCapabilitiesResponse__Input, _csi_v1_ControllerGetCapabilitiesResponse>
      ControllerGetVolumeRequest: MessageTypeDefinition<_csi_v1_ControllerGetVolumeRequest__Input, _csi_v1_ControllerGetVolumeRequest>
      ControllerGetVolumeResponse: MessageTypeDefinition<_csi_v1_ControllerGetVolumeResponse__Input, _csi_v1_ControllerGetVolumeResponse>
      ControllerModifyVolumeRequest: MessageTypeDefinition<_csi_v1_ControllerModifyVolumeRequest__Input, _csi_v1_ControllerModifyVolumeRequest>
      ControllerModifyVolumeResponse: MessageTypeDefinition<_csi_v1_ControllerModifyVolumeResponse__Input, _csi_v1_ControllerModifyVolumeResponse>
      ControllerPublishVolumeRequest: MessageTypeDefinition<_csi_v1_ControllerPublishVolumeRequest__Input, _csi_v1_ControllerPublishVolumeRequest>
      ControllerPublishVolumeResponse: MessageTypeDefinition<_csi_v1_ControllerPublishVolumeResponse__Input, _csi_v1_ControllerPublishVolumeResponse>
      ControllerServiceCapability: MessageTypeDefinition<_csi_v1_ControllerServiceCapability__Input, _csi_v1_ControllerServiceCapability>
      ControllerUnpublishVolumeRequest: MessageTypeDefinition<_csi_v1_ControllerUnpublishVolumeRequest__Input, _csi_v1_ControllerUnpublishVolumeRequest>
      ControllerUnpublishVolumeResponse: MessageTypeDefinition<_csi_v1_ControllerUnpublishVolumeResponse__Input, _csi_v1_ControllerUnpublishVolumeResponse>
      CreateSnapshotRequest: MessageTypeDefinition<_csi_v1_CreateSnapshotRequest__Input, _csi_v1_CreateSnapshotRequest>
      CreateSnapshotResponse: MessageTypeDefinition<_csi_v1_CreateSnapshotResponse__Input, _csi_v1_CreateSnapshotResponse>
      CreateVolumeRequest: MessageTypeDefinition<_csi_v1_CreateVolumeRequest__Input, _csi_v1_CreateVolumeRequest>
      CreateVolumeResponse: MessageTypeDefinition<_csi_v1_CreateVolumeResponse__Input, _csi_v1_CreateVolumeResponse>
      DeleteSnapshotRequest: MessageTypeDefinition<_csi_v1_DeleteSnapshotRequest__Input, _csi_v1_DeleteSnapshotRequest>
      DeleteSnapshotResponse: MessageTypeDefinition<_csi_v1_DeleteSnapshotResponse__Input, _csi_v1_DeleteSnapshotResponse>
      DeleteVolumeRequest: MessageTypeDefinition<_csi_v1_DeleteVolumeRequest__Input, _csi_v1_DeleteVolumeRequest>
      DeleteVolumeResponse: MessageTypeDefinition<_csi_v1_DeleteVolumeResponse__Input, _csi_v1_DeleteVolumeResponse>
      GetCapacityRequest: MessageTypeDefinition<_csi_v1_GetCapacityRequest__Input, _csi_v1_GetCapacityRequest>
      GetCapacityResponse: MessageTypeDefinition<_csi_v1_GetCapacityResponse__Input, _csi_v1_GetCapacityResponse>
      GetPluginCapabilitiesRequest: MessageTypeDefinition<_csi_v1_GetPluginCapabilitiesRequest__Input, _csi_v1_GetPluginCapabilitiesRequest>
      GetPluginCapabilitiesResponse: MessageTypeDefinition<_csi_v1_GetPluginCapabilitiesResponse__Input, _csi_v1_GetPluginCapabilitiesResponse>
      GetPluginInfoRequest: MessageTypeDefinition<_csi_v1_GetPluginInfoRequest__Input, _csi_v1_GetPluginInfoRequest>
      GetPluginInfoResponse: MessageTypeDefinition<_csi_v1_GetPluginInfoResponse__Input, _csi_v1_GetPluginInfoResponse>
      GetSnapshotRequest: MessageTypeDefinition<_csi_v1_GetSnapshotRequest__Input, _csi_v1_GetSnapshotRequest>
      GetSnapshotResponse: MessageTypeDefinition<_csi_v1_GetSnapshotResponse__Input, _csi_v1_GetSnapshotResponse>
      Identity: SubtypeConstructor<typeof grpc.Client, _csi_v1_IdentityClient> & { service: _csi_v1_IdentityDefinition }
      ListSnapshotsRequest: MessageTypeDefinition<_csi_v1_ListSnapshotsRequest__Input, _csi_v1_ListSnapshotsRequest>
      ListSnapshotsResponse: MessageTypeDefinition<_csi_v1_ListSnapshotsResponse__Input, _csi_v1_ListSnapshotsResponse>
      ListVolumesRequest: MessageTypeDefinition<_csi_v1_ListVolumesRequest__Input, _csi_v1_ListVolumesRequest>
      ListVolumesResponse: MessageTypeDefinition<_csi_v1_ListVolumesResponse__Input, _csi_v1_ListVolumesResponse>
      Node: SubtypeConstructor<typeof grpc.Client, _csi_v1_NodeClient> & { service: _csi_v1_NodeDefinition }
      NodeExpandVolumeRequest: MessageTypeDefinition<_csi_v1_NodeExpandVolumeRequest__Input, _csi_v1_NodeExpandVolumeRequest>
      NodeExpandVolumeResponse: MessageTypeDefinition<_csi_v1_NodeExpandVolumeResponse__Input, _csi_v1_NodeExpandVolumeResponse>
      NodeGetCapabilitiesRequest: MessageTypeDefinition<_csi_v1_NodeGetCapabilitiesRequest__Input, _csi_v1_NodeGetCapabilitiesRequest>
      NodeGetCapabilitiesResponse: MessageTypeDefinition<_csi_v1_NodeGetCapabilitiesResponse__Input, _csi_v1_NodeGetCapabilitiesResponse>
      NodeGetInfoRequest: MessageTypeDefinition<_csi_v1_NodeGetInfoRequest__Input, _csi_v1_NodeGetInfoRequest>
      NodeGetInfoResponse: MessageTypeDefinition<_csi_v1_NodeGetInfoResponse__Input, _csi_v1_NodeGetInfoResponse>
      NodeGetVolumeStatsRequest: MessageTypeDefinition<_csi_v1_NodeGetVolumeStatsRequest__Input, _csi_v1_NodeGetVolumeStatsRequest>
      NodeGetVolumeStatsResponse: MessageTypeDefinition<_csi_v1_NodeGetVolumeStatsResponse__Input, _csi_v1_NodeGetVolumeStatsResponse>
      NodePublishVolumeRequest: MessageTypeDefinition<_csi_v1_NodePublishVolumeRequest__Input, _csi_v1_NodePublishVolumeRequest>
      NodePublishVolumeResponse: MessageTypeDefinition<_csi_v1_NodePublishVolumeResponse__Input, _csi_v1_NodePublishVolumeResponse>
      NodeServiceCapability: MessageTypeDefinition<_csi_v1_NodeServiceCapability__Input, _csi_v1_NodeServiceCapability>
      NodeStageVolumeRequest: MessageTypeDefinition<_csi_v1_NodeStageVolumeRequest__Input, _csi_v1_NodeStageVolumeRequest>
      NodeStageVolumeResponse: MessageTypeDefinition<_csi_v1_NodeStageVolumeResponse__Input, _csi_v1_NodeStageVolumeResponse>
      NodeUnpublishVolumeRequest: MessageTypeDefinition<_csi_v1_NodeUnpublishVolumeRequest__Input, _csi_v1_NodeUnpublishVolumeRequest>
      NodeUnpublishVolumeResponse: MessageTypeDefinition<_csi_v1_NodeUnpublishVolumeResponse__Input, _csi_v1_NodeUnpublishVolumeResponse>
      NodeUnstageVolumeRequest: MessageTypeDefinition<_csi_v1_NodeUnstageVolumeRequest__Input, _csi_v1_NodeUnstageVolumeRequest>
      NodeUnstageVolumeResponse: MessageTypeDefinition<_csi_v1_NodeUnstageVolumeResponse__Input, _csi_v1_NodeUnstageVolumeResponse>
      PluginCapability: MessageTypeDefinition<_csi_v1_PluginCapability__Input, _csi_v1_PluginCapability>
      ProbeRequest: MessageTypeDefinition<_csi_v1_ProbeRequest__Input, _csi_v1_ProbeRequest>
      ProbeResponse: MessageTypeDefinition<_csi_v1_ProbeResponse__Input, _csi_v1_ProbeResponse>
      Snapshot: MessageTypeDefinition<_csi_v1_Snapshot__Input, _csi_v1_Snapshot>
      Topology: MessageTypeDefinition<_csi_v1_Topology__Input, _csi_v1_Topology>
      TopologyRequirement: MessageTypeDefinition<_csi_v1_TopologyRequirement__Input, _csi_v1_TopologyRequirement>
      ValidateVolumeCapabilitiesRequest: MessageTypeDefinition<_csi_v1_ValidateVolumeCapabilitiesRequest__Input, _csi_v1_ValidateVolumeCapabilitiesRequest>
      ValidateVolumeCapabilitiesResponse: MessageTypeDefinition<_csi_v1_ValidateVolumeCapabilitiesResponse__Input, _csi_v1_ValidateVolumeCapabilitiesResponse>
      Volume: MessageTypeDefinition<_csi_v1_Volume__Input, _csi_v1_Volume>
      VolumeCapability: MessageTypeDefinition<_csi_v1_VolumeCapability__Input, _csi_v1_VolumeCapability>
      VolumeCondition: MessageTypeDefinition<_csi_v1_VolumeCondition__Input, _csi_v1_VolumeCondition>
      VolumeContentSource: MessageTypeDefinition<_csi_v1_VolumeContentSource__Input, _csi_v1_VolumeContentSource>
      VolumeUsage: MessageTypeDefinition<_csi_v1_VolumeUsage__Input, _csi_v1_VolumeUsage>
    }
  }
  google: {
    protobuf: {
      BoolValue: MessageTypeDefinition<_google_protobuf_BoolValue__Input, _google_protobuf_BoolValue>
      BytesValue: MessageTypeDefinition<_google_protobuf_BytesValue__Input, _google_protobuf_BytesValue>
      DescriptorProto: MessageTypeDefinition<_google_protobuf_DescriptorProto__Input, _google_protobuf_DescriptorProto>
      DoubleValue: MessageTypeDefinition<_google_protobuf_DoubleValue__Input, _google_protobuf_DoubleValue>
      Edition: EnumTypeDefinition
      EnumDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumDescriptorProto__Input, _google_protobuf_EnumDescriptorProto>
      EnumOptions: MessageTypeDefinition<_google_protobuf_EnumOptions__Input, _google_protobuf_EnumOptions>
      EnumValueDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumValueDescriptorProto__Input, _google_protobuf_EnumValueDescriptorProto>
      EnumValueOptions: MessageTypeDefinition<_google_protobuf_EnumValueOptions__Input, _google_protobuf_EnumValueOptions>
      ExtensionRangeOptions: MessageTypeDefinition<_google_protobuf_ExtensionRangeOptions__Input, _google_protobuf_ExtensionRangeOptions>
      FeatureSet: MessageTypeDefinition<_google_protobuf_FeatureSet__Input, _google_protobuf_FeatureSet>
      FeatureSetDefaults: MessageTypeDefinition<_google_protobuf_FeatureSetDefaults__Input, _google_protobuf_FeatureSetDefaults>
      FieldDescriptorProto: MessageTypeDefinition<_google_protobuf_FieldDescriptorProto__Input, _google_protobuf_FieldDescriptorProto>
      FieldOptions: MessageTypeDefinition<_google_protobuf_FieldOptions__Input, _google_protobuf_FieldOptions>
      FileDescriptorProto: MessageTypeDefinition<_google_protobuf_FileDescriptorProto__Input, _google_protobuf_FileDescriptorProto>
      FileDescriptorSet: MessageTypeDefinition<_google_protobuf_FileDescriptorSet__Input, _google_protobuf_FileDescriptorSet>
      FileOptions: MessageTypeDefinition<_google_protobuf_FileOptions__Input, _google_protobuf_FileOptions>
      FloatValue: MessageTypeDefinition<_google_protobuf_FloatValue__Input, _google_protobuf_FloatValue>
      GeneratedCodeInfo: MessageTypeDefinition<_google_protobuf_GeneratedCodeInfo__Input, _google_protobuf_GeneratedCodeInfo>
      Int32Value: MessageTypeDefinition<_google_protobuf_Int32Value__Input, _google_protobuf_Int32Value>
      Int64Value: MessageTypeDefinition<_google_protobuf_Int64Value__Input, _google_protobuf_Int64Value>
      MessageOptions: MessageTypeDefinition<_google_protobuf_MessageOptions__Input, _google_protobuf_MessageOptions>
      MethodDescriptorProto: MessageTypeDefinition<_google_protobuf_MethodDescriptorProto__Input, _google_protobuf_MethodDescriptorProto>
      MethodOptions: MessageTypeDefinition<_google_protobuf_MethodOptions__Input, _google_protobuf_MethodOptions>
      OneofDescriptorProto: MessageTypeDefinition<_google_protobuf_OneofDescriptorProto__Input, _google_protobuf_OneofDescriptorProto>
      OneofOptions: MessageTypeDefinition<_google_protobuf_OneofOptions__Input, _google_protobuf_OneofOptions>
      ServiceDescriptorProto: MessageTypeDefinition<_google_protobuf_ServiceDescriptorProto__Input, _google_protobuf_ServiceDescriptorProto>
      ServiceOptions: MessageTypeDefinition<_google_protobuf_ServiceOptions__Input, _google_protobuf_ServiceOptions>
      SourceCodeInfo: MessageTypeDefinition<_google_protobuf_SourceCodeInfo__Input, _google_protobuf_SourceCodeInfo>
      StringValue: MessageTypeDefinition<_google_protobuf_StringValue__Input, _google_protobuf_StringValue>
      SymbolVisibility: EnumTypeDefinition
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp__Input, _google_protobuf_Timestamp>
      UInt32Value: MessageTypeDefinition<_google_protobuf_UInt32Value__Input, _google_protobuf_UInt32Value>
      UInt64Value: MessageTypeDefinition<_google_protobuf_UInt64Value__Input, _google_protobuf_UInt64Value>
      UninterpretedOption: MessageTypeDefinition<_google_protobuf_UninterpretedOption__Input, _google_protobuf_UninterpretedOption>
    }
  }
}

