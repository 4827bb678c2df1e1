import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CSI_PROTO_PATH,
  csiPackageDefinition,
  csiServices,
  RPC_NAMES,
  type CsiServiceName,
} from '../src/index.js';

/**
 * The CSI wire contract as published in the specification (spec.md, the source csi.proto is generated from),
 * restated independently of proto/csi.proto: every message with each field's name and number, and every enum.
 * A typo in the proto, a missing or extra field, or a renumbered enum value fails here.
 */
const MESSAGES: Record<string, string> = {
  GetPluginInfoRequest: '',
  GetPluginInfoResponse: 'name=1 vendor_version=2 manifest=3',
  GetPluginCapabilitiesRequest: '',
  GetPluginCapabilitiesResponse: 'capabilities=1',
  PluginCapability: 'service=1 volume_expansion=2',
  'PluginCapability.Service': 'type=1',
  'PluginCapability.VolumeExpansion': 'type=1',
  ProbeRequest: '',
  ProbeResponse: 'ready=1',
  VolumeContentSource: 'snapshot=1 volume=2',
  'VolumeContentSource.SnapshotSource': 'snapshot_id=1',
  'VolumeContentSource.VolumeSource': 'volume_id=1',
  VolumeCapability: 'block=1 mount=2 access_mode=3',
  'VolumeCapability.BlockVolume': '',
  'VolumeCapability.MountVolume': 'fs_type=1 mount_flags=2 volume_mount_group=3',
  'VolumeCapability.AccessMode': 'mode=1',
  CapacityRange: 'required_bytes=1 limit_bytes=2',
  Volume: 'capacity_bytes=1 volume_id=2 volume_context=3 content_source=4 accessible_topology=5',
  TopologyRequirement: 'requisite=1 preferred=2',
  Topology: 'segments=1',
  VolumeCondition: 'abnormal=1 message=2',
  CreateVolumeRequest:
    'name=1 capacity_range=2 volume_capabilities=3 parameters=4 secrets=5 volume_content_source=6 accessibility_requirements=7 mutable_parameters=8',
  CreateVolumeResponse: 'volume=1',
  DeleteVolumeRequest: 'volume_id=1 secrets=2',
  DeleteVolumeResponse: '',
  ControllerPublishVolumeRequest:
    'volume_id=1 node_id=2 volume_capability=3 readonly=4 secrets=5 volume_context=6',
  ControllerPublishVolumeResponse: 'publish_context=1',
  ControllerUnpublishVolumeRequest: 'volume_id=1 node_id=2 secrets=3',
  ControllerUnpublishVolumeResponse: '',
  ValidateVolumeCapabilitiesRequest:
    'volume_id=1 volume_context=2 volume_capabilities=3 parameters=4 secrets=5 mutable_parameters=6',
  ValidateVolumeCapabilitiesResponse: 'confirmed=1 message=2',
  'ValidateVolumeCapabilitiesResponse.Confirmed':
    'volume_context=1 volume_capabilities=2 parameters=3 mutable_parameters=4',
  ListVolumesRequest: 'max_entries=1 starting_token=2',
  ListVolumesResponse: 'entries=1 next_token=2',
  'ListVolumesResponse.VolumeStatus': 'published_node_ids=1 volume_condition=2',
  'ListVolumesResponse.Entry': 'volume=1 status=2',
  ControllerGetVolumeRequest: 'volume_id=1',
  ControllerGetVolumeResponse: 'volume=1 status=2',
  'ControllerGetVolumeResponse.VolumeStatus': 'published_node_ids=1 volume_condition=2',
  ControllerModifyVolumeRequest: 'volume_id=1 secrets=2 mutable_parameters=3',
  ControllerModifyVolumeResponse: '',
  GetCapacityRequest: 'volume_capabilities=1 parameters=2 accessible_topology=3',
  GetCapacityResponse: 'available_capacity=1 maximum_volume_size=2 minimum_volume_size=3',
  ControllerGetCapabilitiesRequest: '',
  ControllerGetCapabilitiesResponse: 'capabilities=1',
  ControllerServiceCapability: 'rpc=1',
  'ControllerServiceCapability.RPC': 'type=1',
  CreateSnapshotRequest: 'source_volume_id=1 name=2 secrets=3 parameters=4',
  CreateSnapshotResponse: 'snapshot=1',
  Snapshot:
    'size_bytes=1 snapshot_id=2 source_volume_id=3 creation_time=4 ready_to_use=5 group_snapshot_id=6',
  DeleteSnapshotRequest: 'snapshot_id=1 secrets=2',
  DeleteSnapshotResponse: '',
  ListSnapshotsRequest: 'max_entries=1 starting_token=2 source_volume_id=3 snapshot_id=4 secrets=5',
  ListSnapshotsResponse: 'entries=1 next_token=2',
  'ListSnapshotsResponse.Entry': 'snapshot=1',
  GetSnapshotRequest: 'snapshot_id=1 secrets=2',
  GetSnapshotResponse: 'snapshot=1',
  ControllerExpandVolumeRequest: 'volume_id=1 capacity_range=2 secrets=3 volume_capability=4',
  ControllerExpandVolumeResponse: 'capacity_bytes=1 node_expansion_required=2',
  NodeStageVolumeRequest:
    'volume_id=1 publish_context=2 staging_target_path=3 volume_capability=4 secrets=5 volume_context=6',
  NodeStageVolumeResponse: '',
  NodeUnstageVolumeRequest: 'volume_id=1 staging_target_path=2',
  NodeUnstageVolumeResponse: '',
  NodePublishVolumeRequest:
    'volume_id=1 publish_context=2 staging_target_path=3 target_path=4 volume_capability=5 readonly=6 secrets=7 volume_context=8',
  NodePublishVolumeResponse: '',
  NodeUnpublishVolumeRequest: 'volume_id=1 target_path=2',
  NodeUnpublishVolumeResponse: '',
  NodeGetVolumeStatsRequest: 'volume_id=1 volume_path=2 staging_target_path=3',
  NodeGetVolumeStatsResponse: 'usage=1 volume_condition=2',
  VolumeUsage: 'available=1 total=2 used=3 unit=4',
  NodeGetCapabilitiesRequest: '',
  NodeGetCapabilitiesResponse: 'capabilities=1',
  NodeServiceCapability: 'rpc=1',
  'NodeServiceCapability.RPC': 'type=1',
  NodeGetInfoRequest: '',
  NodeGetInfoResponse: 'node_id=1 max_volumes_per_node=2 accessible_topology=3',
  NodeExpandVolumeRequest:
    'volume_id=1 volume_path=2 capacity_range=3 staging_target_path=4 volume_capability=5 secrets=6',
  NodeExpandVolumeResponse: 'capacity_bytes=1',
};

/** Numeric fields and their exact scalar type: int64 vs int32 changes the wire encoding of negative values. */
const NUMERIC_FIELDS: Record<string, string> = {
  'CapacityRange.required_bytes': 'TYPE_INT64',
  'CapacityRange.limit_bytes': 'TYPE_INT64',
  'Volume.capacity_bytes': 'TYPE_INT64',
  'ListVolumesRequest.max_entries': 'TYPE_INT32',
  'ListSnapshotsRequest.max_entries': 'TYPE_INT32',
  'GetCapacityResponse.available_capacity': 'TYPE_INT64',
  'Snapshot.size_bytes': 'TYPE_INT64',
  'ControllerExpandVolumeResponse.capacity_bytes': 'TYPE_INT64',
  'VolumeUsage.available': 'TYPE_INT64',
  'VolumeUsage.total': 'TYPE_INT64',
  'VolumeUsage.used': 'TYPE_INT64',
  'NodeGetInfoResponse.max_volumes_per_node': 'TYPE_INT64',
  'NodeExpandVolumeResponse.capacity_bytes': 'TYPE_INT64',
};

const ENUMS: Record<string, string> = {
  'PluginCapability.Service.Type':
    'UNKNOWN=0 CONTROLLER_SERVICE=1 VOLUME_ACCESSIBILITY_CONSTRAINTS=2 GROUP_CONTROLLER_SERVICE=3 SNAPSHOT_METADATA_SERVICE=4',
  'PluginCapability.VolumeExpansion.Type': 'UNKNOWN=0 ONLINE=1 OFFLINE=2',
  'VolumeCapability.AccessMode.Mode':
    'UNKNOWN=0 SINGLE_NODE_WRITER=1 SINGLE_NODE_READER_ONLY=2 MULTI_NODE_READER_ONLY=3 MULTI_NODE_SINGLE_WRITER=4 MULTI_NODE_MULTI_WRITER=5 SINGLE_NODE_SINGLE_WRITER=6 SINGLE_NODE_MULTI_WRITER=7',
  'ControllerServiceCapability.RPC.Type':
    'UNKNOWN=0 CREATE_DELETE_VOLUME=1 PUBLISH_UNPUBLISH_VOLUME=2 LIST_VOLUMES=3 GET_CAPACITY=4 CREATE_DELETE_SNAPSHOT=5 LIST_SNAPSHOTS=6 CLONE_VOLUME=7 PUBLISH_READONLY=8 EXPAND_VOLUME=9 LIST_VOLUMES_PUBLISHED_NODES=10 VOLUME_CONDITION=11 GET_VOLUME=12 SINGLE_NODE_MULTI_WRITER=13 MODIFY_VOLUME=14 GET_SNAPSHOT=15',
  'VolumeUsage.Unit': 'UNKNOWN=0 BYTES=1 INODES=2',
  'NodeServiceCapability.RPC.Type':
    'UNKNOWN=0 STAGE_UNSTAGE_VOLUME=1 GET_VOLUME_STATS=2 EXPAND_VOLUME=3 VOLUME_CONDITION=4 SINGLE_NODE_MULTI_WRITER=5 VOLUME_MOUNT_GROUP=6',
};

interface FieldDescriptor {
  name: string;
  number: number;
  type: string;
}
interface EnumDescriptor {
  name: string;
  value: { name: string; number: number }[];
}
interface MessageDescriptor {
  name: string;
  options: { mapEntry?: boolean } | null;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  enumType: EnumDescriptor[];
}

/** Every message and enum of csi.v1 as loaded, by its name relative to the package (nested ones dotted). */
function loadedDescriptors(): {
  messages: Map<string, MessageDescriptor>;
  enums: Map<string, EnumDescriptor>;
} {
  const messages = new Map<string, MessageDescriptor>();
  const enums = new Map<string, EnumDescriptor>();
  const visit = (path: string, descriptor: MessageDescriptor): void => {
    messages.set(path, descriptor);
    for (const e of descriptor.enumType) enums.set(`${path}.${e.name}`, e);
    // map<K, V> fields appear as synthetic nested entry messages, not part of the spec's message list
    for (const nested of descriptor.nestedType)
      if (!nested.options?.mapEntry) visit(`${path}.${nested.name}`, nested);
  };
  for (const [key, definition] of Object.entries(csiPackageDefinition)) {
    if (!key.startsWith('csi.v1.') || !('format' in definition)) continue;
    if (definition.format === 'Protocol Buffer 3 DescriptorProto') {
      visit(key.slice('csi.v1.'.length), definition.type as MessageDescriptor);
    }
  }
  return { messages, enums };
}

const loaded = loadedDescriptors();

test('every CSI message has exactly the spec fields, names and numbers', () => {
  assert.deepEqual([...loaded.messages.keys()].sort(), Object.keys(MESSAGES).sort());
  for (const [name, spec] of Object.entries(MESSAGES)) {
    const fields = (loaded.messages.get(name)?.field ?? []).map((f) => `${f.name}=${f.number}`).join(' ');
    assert.equal(fields, spec, `fields of ${name}`);
  }
});

test('numeric fields have the spec scalar types', () => {
  for (const [path, type] of Object.entries(NUMERIC_FIELDS)) {
    const dot = path.lastIndexOf('.');
    const field = loaded.messages.get(path.slice(0, dot))?.field.find((f) => f.name === path.slice(dot + 1));
    assert.equal(field?.type, type, path);
  }
  const numericTypes = new Set(['TYPE_INT64', 'TYPE_INT32', 'TYPE_UINT64', 'TYPE_UINT32']);
  for (const [name, descriptor] of loaded.messages) {
    for (const f of descriptor.field) {
      if (numericTypes.has(f.type))
        assert.ok(`${name}.${f.name}` in NUMERIC_FIELDS, `${name}.${f.name} is not in the table`);
    }
  }
});

test('every enum has the spec values and numbers', () => {
  assert.deepEqual([...loaded.enums.keys()].sort(), Object.keys(ENUMS).sort());
  for (const [name, spec] of Object.entries(ENUMS)) {
    const values = (loaded.enums.get(name)?.value ?? []).map((v) => `${v.name}=${v.number}`).join(' ');
    assert.equal(values, spec, name);
  }
});

test('the services declare exactly the RPCs the typed maps name, at the csi.v1 paths', () => {
  for (const service of Object.keys(RPC_NAMES) as CsiServiceName[]) {
    const definition = csiServices[service];
    assert.deepEqual(Object.keys(definition), [...RPC_NAMES[service]], service);
    for (const rpc of RPC_NAMES[service]) {
      const method = definition[String(rpc)];
      assert.equal(method?.path, `/csi.v1.${service}/${String(rpc)}`);
      assert.equal(method?.requestStream, false);
      assert.equal(method?.responseStream, false);
    }
  }
});

test('every field annotated csi_secret is a `secrets` map, and every `secrets` field is annotated', () => {
  const lines = readFileSync(CSI_PROTO_PATH, 'utf8').split('\n');
  const secretLines = lines.filter((l) => l.includes('secrets ='));
  assert.ok(secretLines.length >= 12);
  for (const line of secretLines)
    assert.match(line, /map<string, string> secrets = \d+ \[\(csi_secret\) = true\];/);
  for (const line of lines.filter((l) => l.includes('csi_secret) = true'))) assert.match(line, / secrets = /);
});
