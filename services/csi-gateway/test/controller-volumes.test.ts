import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { endpoints } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import { uuidV5 } from '../src/controller/ids.js';
import {
  GiB,
  MiB,
  blockCapability,
  expectCode,
  mountCapability,
  pvName,
  startHarness,
} from './support/harness.js';

const create = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  volume_capabilities: [mountCapability()],
  ...extra,
});

test('CreateVolume: the PV name is the volume ID, the context carries the Go driver keys, repeats are idempotent', async (t) => {
  const h = await startHarness(t, { gateway: { controller: { rdsAddress: '10.0.0.5' } } });
  const request = create(pvName(1), {
    capacity_range: { required_bytes: 5 * GiB },
    parameters: {
      nvmeAddress: '10.0.0.6',
      ctrlLossTmo: '600',
      'csi.storage.k8s.io/pvc/name': 'data',
      'csi.storage.k8s.io/pv/name': pvName(1),
    },
  });
  const first = await h.client.controller.CreateVolume(request);
  assert.deepEqual(first.volume, {
    capacity_bytes: String(5 * GiB),
    volume_id: pvName(1),
    volume_context: {
      rdsAddress: '10.0.0.5',
      nvmeAddress: '10.0.0.6',
      nvmePort: '4420',
      nqn: `nqn.2000-02.com.mikrotik:${pvName(1)}`,
      volumePath: `/storage-pool/rdscsi/${pvName(1)}.img`,
      ctrlLossTmo: '600',
      reconnectDelay: '5',
      keepAliveTmo: '0',
      migrationTimeoutSeconds: '300',
    },
    content_source: null,
    accessible_topology: [],
  });
  for (let i = 0; i < 3; i++)
    assert.deepEqual((await h.client.controller.CreateVolume(request)).volume, first.volume);
  // Create goes first (the connector answers an identical request with the volume): one volume, never two.
  assert.equal(h.connector.rdsRequests().filter((r) => r.endpoint === endpoints.volumeCreate.name).length, 4);
  assert.equal(h.connector.volumes.size, 1);
});

test('CreateVolume: a name that is not a PV name gets a deterministic safe ID', async (t) => {
  const h = await startHarness(t);
  const { volume } = await h.client.controller.CreateVolume(create('My Volume #1'));
  assert.equal(volume?.volume_id, `pvc-${uuidV5('My Volume #1')}`);
  assert.equal(
    (await h.client.controller.CreateVolume(create('My Volume #1'))).volume?.volume_id,
    volume?.volume_id,
  );
});

test('CreateVolume: the same name with an incompatible size or placement is ALREADY_EXISTS', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume(create(pvName(2), { capacity_range: { required_bytes: GiB } }));
  await expectCode(
    h.client.controller.CreateVolume(create(pvName(2), { capacity_range: { required_bytes: 2 * GiB } })),
    status.ALREADY_EXISTS,
  );
  await expectCode(
    h.client.controller.CreateVolume(
      create(pvName(2), { capacity_range: { required_bytes: GiB }, parameters: { nvmePort: '4421' } }),
    ),
    status.ALREADY_EXISTS,
  );
  await expectCode(
    h.client.controller.CreateVolume(
      create(pvName(2), { parameters: { volumePath: '/storage-pool/rdscsi/other' } }),
    ),
    status.ALREADY_EXISTS,
  );
  // Smaller but within the range it was made for: compatible.
  const again = await h.client.controller.CreateVolume(
    create(pvName(2), { capacity_range: { required_bytes: GiB - 1, limit_bytes: 2 * GiB } }),
  );
  assert.equal(again.volume?.capacity_bytes, String(GiB));
});

test('sizes are rounded up to whole MiB, never truncated, and limits are honoured', async (t) => {
  const h = await startHarness(t, { gateway: { controller: { defaultVolumeSizeBytes: 2 * GiB } } });
  const size = async (n: number, range?: { required_bytes?: number; limit_bytes?: number }) =>
    Number(
      (await h.client.controller.CreateVolume(create(pvName(n), range ? { capacity_range: range } : {})))
        .volume?.capacity_bytes,
    );
  assert.equal(await size(10, { required_bytes: 1 }), MiB);
  assert.equal(await size(11, { required_bytes: GiB + 1 }), GiB + MiB);
  assert.equal(await size(12, { required_bytes: 3 * MiB, limit_bytes: 3 * MiB }), 3 * MiB);
  assert.equal(await size(13), 2 * GiB, 'no range: the configured default');
  assert.equal(
    await size(14, { limit_bytes: GiB + 123 }),
    GiB,
    'only a limit: the default shrunk to whole MiB under it',
  );
  // Values beyond 2^31 and 2^32 survive the wire.
  assert.equal(await size(15, { required_bytes: 5 * GiB }), 5 * GiB);

  const outOfRange = [
    { required_bytes: MiB + 1, limit_bytes: MiB + 2 },
    { required_bytes: 2 * MiB, limit_bytes: MiB },
    { limit_bytes: 1000 },
    { required_bytes: '9223372036854775807' },
  ];
  for (const [i, range] of outOfRange.entries()) {
    await expectCode(
      h.client.controller.CreateVolume(create(pvName(20 + i), { capacity_range: range })),
      status.OUT_OF_RANGE,
      JSON.stringify(range),
    );
  }
  await expectCode(
    h.client.controller.CreateVolume(create(pvName(30), { capacity_range: { required_bytes: -1 } })),
    status.INVALID_ARGUMENT,
  );
  assert.equal(h.connector.volumes.size, 6, 'nothing was created for the rejected ranges');
});

test('CreateVolume: required arguments and malformed parameters are INVALID_ARGUMENT and nothing reaches the RDS', async (t) => {
  const h = await startHarness(t);
  const bad: [string, Record<string, unknown>][] = [
    ['no name', { name: '', volume_capabilities: [mountCapability()] }],
    ['no capabilities', { name: pvName(1) }],
    [
      'capability without access type',
      { name: pvName(1), volume_capabilities: [{ access_mode: { mode: 'SINGLE_NODE_WRITER' } }] },
    ],
    ['capability without access mode', { name: pvName(1), volume_capabilities: [{ mount: {} }] }],
    [
      'unknown access mode number',
      { name: pvName(1), volume_capabilities: [{ mount: {}, access_mode: { mode: 42 } }] },
    ],
    [
      'unsupported fs type',
      { name: pvName(1), volume_capabilities: [mountCapability('SINGLE_NODE_WRITER', 'ntfs')] },
    ],
    ['unknown parameter', create(pvName(1), { parameters: { nvmeAdress: '10.0.0.1' } })],
    ['port not a number', create(pvName(1), { parameters: { nvmePort: '44x0' } })],
    ['port out of range', create(pvName(1), { parameters: { nvmePort: '70000' } })],
    ['ctrlLossTmo below -1', create(pvName(1), { parameters: { ctrlLossTmo: '-2' } })],
    ['reconnectDelay zero', create(pvName(1), { parameters: { reconnectDelay: '0' } })],
    ['keepAliveTmo negative', create(pvName(1), { parameters: { keepAliveTmo: '-1' } })],
    [
      'migration timeout not an integer',
      create(pvName(1), { parameters: { migrationTimeoutSeconds: '5m' } }),
    ],
    ['volumePath with ..', create(pvName(1), { parameters: { volumePath: '/storage/../etc' } })],
    ['volumePath with a space', create(pvName(1), { parameters: { volumePath: '/storage/a b' } })],
    ['volumePath with a quote', create(pvName(1), { parameters: { volumePath: '/storage/"x"' } })],
    ['nvmeAddress with a command', create(pvName(1), { parameters: { nvmeAddress: '10.0.0.1; reboot' } })],
    ['unknown fstype', create(pvName(1), { parameters: { 'csi.storage.k8s.io/fstype': 'zfs' } })],
    ['content source without a type', create(pvName(1), { volume_content_source: {} })],
  ];
  for (const [what, request] of bad)
    await expectCode(h.client.controller.CreateVolume(request), status.INVALID_ARGUMENT, what);
  assert.deepEqual(h.connector.rdsRequests(), []);
});

test('the access-mode matrix: single-node modes for both, multi-writer for block only, the rest refused', async (t) => {
  const h = await startHarness(t);
  const accepted = [
    mountCapability('SINGLE_NODE_WRITER'),
    mountCapability('SINGLE_NODE_READER_ONLY'),
    mountCapability('SINGLE_NODE_SINGLE_WRITER'),
    mountCapability('SINGLE_NODE_MULTI_WRITER'),
    blockCapability('SINGLE_NODE_WRITER'),
    blockCapability('SINGLE_NODE_READER_ONLY'),
    blockCapability('SINGLE_NODE_SINGLE_WRITER'),
    blockCapability('SINGLE_NODE_MULTI_WRITER'),
    blockCapability('MULTI_NODE_MULTI_WRITER'),
  ];
  const refused = [
    mountCapability('MULTI_NODE_MULTI_WRITER'),
    mountCapability('MULTI_NODE_READER_ONLY'),
    mountCapability('MULTI_NODE_SINGLE_WRITER'),
    blockCapability('MULTI_NODE_READER_ONLY'),
    blockCapability('MULTI_NODE_SINGLE_WRITER'),
    mountCapability('UNKNOWN'),
  ];
  for (const [i, capability] of accepted.entries()) {
    await h.client.controller.CreateVolume({ name: pvName(100 + i), volume_capabilities: [capability] });
  }
  for (const capability of refused) {
    await expectCode(
      h.client.controller.CreateVolume({ name: pvName(200), volume_capabilities: [capability] }),
      status.INVALID_ARGUMENT,
      JSON.stringify(capability),
    );
  }
  // All of a list must be supported.
  await expectCode(
    h.client.controller.CreateVolume({
      name: pvName(200),
      volume_capabilities: [
        blockCapability('MULTI_NODE_MULTI_WRITER'),
        mountCapability('MULTI_NODE_MULTI_WRITER'),
      ],
    }),
    status.INVALID_ARGUMENT,
  );
  assert.equal(h.connector.volumes.size, accepted.length);

  // ValidateVolumeCapabilities applies the same matrix, answering instead of failing.
  const volume_id = pvName(100);
  const ok = await h.client.controller.ValidateVolumeCapabilities({
    volume_id,
    volume_capabilities: [blockCapability('MULTI_NODE_MULTI_WRITER')],
  });
  assert.deepEqual(
    ok.confirmed?.volume_capabilities.map((c) => c.access_mode?.mode),
    ['MULTI_NODE_MULTI_WRITER'],
  );
  const no = await h.client.controller.ValidateVolumeCapabilities({
    volume_id,
    volume_capabilities: [mountCapability('MULTI_NODE_MULTI_WRITER')],
  });
  assert.equal(no.confirmed, null);
  assert.match(no.message, /block volumes only/);
  const badParams = await h.client.controller.ValidateVolumeCapabilities({
    volume_id,
    volume_capabilities: [mountCapability()],
    parameters: { bogus: '1' },
  });
  assert.equal(badParams.confirmed, null);
  assert.match(badParams.message, /bogus/);
});

test('ValidateVolumeCapabilities: required arguments and unknown volumes', async (t) => {
  const h = await startHarness(t);
  await expectCode(
    h.client.controller.ValidateVolumeCapabilities({ volume_capabilities: [mountCapability()] }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ValidateVolumeCapabilities({ volume_id: pvName(1) }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ValidateVolumeCapabilities({
      volume_id: pvName(1),
      volume_capabilities: [mountCapability()],
    }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.ValidateVolumeCapabilities({
      volume_id: 'Not A Volume',
      volume_capabilities: [mountCapability()],
    }),
    status.NOT_FOUND,
  );
});

test('DeleteVolume: idempotent, unknown and foreign IDs are OK, the ID is required', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume(create(pvName(1)));
  for (let i = 0; i < 3; i++)
    assert.deepEqual(await h.client.controller.DeleteVolume({ volume_id: pvName(1) }), {});
  assert.equal(h.connector.volumes.size, 0);
  assert.deepEqual(await h.client.controller.DeleteVolume({ volume_id: 'no/such volume' }), {});
  await expectCode(h.client.controller.DeleteVolume({}), status.INVALID_ARGUMENT);
  assert.equal(
    h.connector.rdsRequests().filter((r) => r.endpoint === endpoints.volumeDelete.name).length,
    3,
    'the foreign ID never reached the RDS',
  );
});

test('ControllerExpandVolume: grows to whole MiB, idempotent, node expansion only for filesystems', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume(create(pvName(1), { capacity_range: { required_bytes: GiB } }));
  const grown = await h.client.controller.ControllerExpandVolume({
    volume_id: pvName(1),
    capacity_range: { required_bytes: 2 * GiB + 1 },
    volume_capability: mountCapability(),
  });
  assert.deepEqual(grown, { capacity_bytes: String(2 * GiB + MiB), node_expansion_required: true });
  const block = await h.client.controller.ControllerExpandVolume({
    volume_id: pvName(1),
    capacity_range: { required_bytes: GiB },
    volume_capability: blockCapability(),
  });
  assert.deepEqual(
    block,
    { capacity_bytes: String(2 * GiB + MiB), node_expansion_required: false },
    'already large enough',
  );
  // One request per expand: the connector looks the volume up and never shrinks, so the gateway does not look first.
  assert.deepEqual(
    h.connector
      .rdsRequests()
      .map((r) => r.endpoint)
      .filter((name) => name !== endpoints.volumeCreate.name),
    [endpoints.volumeResize.name, endpoints.volumeResize.name],
  );

  await expectCode(
    h.client.controller.ControllerExpandVolume({ capacity_range: { required_bytes: GiB } }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerExpandVolume({ volume_id: pvName(1) }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: pvName(1),
      capacity_range: { required_bytes: 3 * GiB },
      volume_capability: mountCapability('MULTI_NODE_MULTI_WRITER'),
    }),
    status.INVALID_ARGUMENT,
  );
  await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: pvName(2),
      capacity_range: { required_bytes: GiB },
    }),
    status.NOT_FOUND,
  );
  await expectCode(
    h.client.controller.ControllerExpandVolume({
      volume_id: pvName(1),
      capacity_range: { required_bytes: 3 * GiB + 1, limit_bytes: 3 * GiB + 2 },
    }),
    status.OUT_OF_RANGE,
  );
});

test('ListVolumes pages with real tokens; a bad token is ABORTED; published nodes and condition are reported', async (t) => {
  const h = await startHarness(t, { reconciler: true });
  const ids = [5, 3, 1, 4, 2].map(pvName);
  for (const id of ids) await h.client.controller.CreateVolume(create(id));
  await h.client.controller.ControllerPublishVolume({
    volume_id: pvName(3),
    node_id: 'node-a',
    volume_capability: mountCapability(),
  });

  const seen: string[] = [];
  let token = '';
  let pages = 0;
  do {
    const page = await h.client.controller.ListVolumes({ max_entries: 2, starting_token: token });
    assert.ok(page.entries.length <= 2);
    seen.push(...page.entries.map((e) => e.volume!.volume_id));
    token = page.next_token;
    pages++;
  } while (token);
  assert.deepEqual(seen, [...ids].sort());
  assert.equal(pages, 3);

  const all = await h.client.controller.ListVolumes({});
  assert.equal(all.next_token, '');
  const three = all.entries.find((e) => e.volume?.volume_id === pvName(3));
  assert.deepEqual(three?.status, {
    published_node_ids: ['node-a'],
    volume_condition: {
      abnormal: false,
      message: `exported over NVMe/TCP as nqn.2000-02.com.mikrotik:${pvName(3)}`,
    },
  });

  // A page boundary survives the deletion of the entry it names.
  const first = await h.client.controller.ListVolumes({ max_entries: 2 });
  await h.client.controller.DeleteVolume({ volume_id: first.entries[1]!.volume!.volume_id });
  const next = await h.client.controller.ListVolumes({ max_entries: 2, starting_token: first.next_token });
  assert.deepEqual(
    next.entries.map((e) => e.volume!.volume_id),
    [pvName(3), pvName(4)],
  );

  await expectCode(h.client.controller.ListVolumes({ starting_token: 'invalid-token' }), status.ABORTED);
  await expectCode(h.client.controller.ListVolumes({ starting_token: 'after:Not Valid' }), status.ABORTED);
  await expectCode(h.client.controller.ListVolumes({ max_entries: -1 }), status.INVALID_ARGUMENT);
});

test('ControllerGetVolume reports published nodes and condition; unknown volumes are NOT_FOUND', async (t) => {
  const h = await startHarness(t, { reconciler: true });
  await h.client.controller.CreateVolume(create(pvName(1), { capacity_range: { required_bytes: GiB } }));
  const fresh = await h.client.controller.ControllerGetVolume({ volume_id: pvName(1) });
  assert.deepEqual(fresh.volume, {
    capacity_bytes: String(GiB),
    volume_id: pvName(1),
    volume_context: {},
    content_source: null,
    accessible_topology: [],
  });
  assert.deepEqual(fresh.status?.published_node_ids, []);
  await h.client.controller.ControllerPublishVolume({
    volume_id: pvName(1),
    node_id: 'node-b',
    volume_capability: mountCapability(),
  });
  assert.deepEqual(
    (await h.client.controller.ControllerGetVolume({ volume_id: pvName(1) })).status?.published_node_ids,
    ['node-b'],
  );
  h.connector.volumes.set(pvName(1), { ...h.connector.volumes.get(pvName(1))!, exported: false });
  assert.equal(
    (await h.client.controller.ControllerGetVolume({ volume_id: pvName(1) })).status?.volume_condition
      ?.abnormal,
    true,
  );
  await expectCode(h.client.controller.ControllerGetVolume({ volume_id: pvName(2) }), status.NOT_FOUND);
  await expectCode(h.client.controller.ControllerGetVolume({}), status.INVALID_ARGUMENT);
});

test('GetCapacity reports free space and the largest volume; unsupported capabilities have none', async (t) => {
  const h = await startHarness(t);
  h.connector.freeBytes = 10 * GiB + 12345;
  const capacity = await h.client.controller.GetCapacity({
    volume_capabilities: [mountCapability()],
    parameters: { volumePath: '/storage-pool/rdscsi' },
  });
  assert.deepEqual(capacity, {
    available_capacity: String(10 * GiB + 12345),
    maximum_volume_size: { value: String(10 * GiB) },
    minimum_volume_size: null,
  });
  assert.deepEqual(h.connector.rdsRequests().at(-1)?.body, { volumePath: '/storage-pool/rdscsi' });
  const none = await h.client.controller.GetCapacity({
    volume_capabilities: [mountCapability('MULTI_NODE_MULTI_WRITER')],
  });
  assert.equal(none.available_capacity, '0');
  await expectCode(
    h.client.controller.GetCapacity({ parameters: { volumePath: '../x' } }),
    status.INVALID_ARGUMENT,
  );
});

test('a second operation on a volume while one is in flight is ABORTED; the first completes', async (t) => {
  const h = await startHarness(t);
  const release = h.connector.hold(endpoints.volumeCreate);
  const first = h.client.controller.CreateVolume(create(pvName(1)));
  await waitFor(() => h.connector.received.some((r) => r.endpoint === endpoints.volumeCreate.name));
  await expectCode(h.client.controller.CreateVolume(create(pvName(1))), status.ABORTED);
  await expectCode(h.client.controller.DeleteVolume({ volume_id: pvName(1) }), status.ABORTED);
  // Operations on other volumes are not held up.
  assert.deepEqual(await h.client.controller.DeleteVolume({ volume_id: pvName(2) }), {});
  release();
  assert.equal((await first).volume?.volume_id, pvName(1));
  assert.deepEqual(
    await h.client.controller.DeleteVolume({ volume_id: pvName(1) }),
    {},
    'the key is free again',
  );
});

test('the caller deadline travels with the bus request', async (t) => {
  const h = await startHarness(t);
  const deadline = Date.now() + 25_000;
  await h.client.controller.CreateVolume(create(pvName(1)), { deadline });
  const sent = h.connector.rdsRequests()[0]!.deadline;
  assert.ok(Math.abs(sent - deadline) < 2_000, `bus deadline ${sent} vs call deadline ${deadline}`);
});

test('ControllerGetCapabilities declares what is implemented; ControllerModifyVolume is UNIMPLEMENTED', async (t) => {
  const h = await startHarness(t);
  const { capabilities } = await h.client.controller.ControllerGetCapabilities({});
  assert.deepEqual(
    capabilities.map((c) => c.rpc?.type),
    [
      'CREATE_DELETE_VOLUME',
      'PUBLISH_UNPUBLISH_VOLUME',
      'LIST_VOLUMES',
      'GET_CAPACITY',
      'CREATE_DELETE_SNAPSHOT',
      'LIST_SNAPSHOTS',
      'CLONE_VOLUME',
      'PUBLISH_READONLY',
      'EXPAND_VOLUME',
      'LIST_VOLUMES_PUBLISHED_NODES',
      'VOLUME_CONDITION',
      'GET_VOLUME',
      'SINGLE_NODE_MULTI_WRITER',
    ],
    'alpha capabilities (GET_SNAPSHOT) stay off by default: CSI <= 1.11 clients reject unknown ones',
  );
  await expectCode(
    h.client.controller.ControllerModifyVolume({ volume_id: pvName(1), mutable_parameters: { a: 'b' } }),
    status.UNIMPLEMENTED,
  );
});

test('ControllerGetCapabilities: the alphaCapabilities setting adds GET_SNAPSHOT', async (t) => {
  const h = await startHarness(t, { gateway: { controller: { alphaCapabilities: true } } });
  const { capabilities } = await h.client.controller.ControllerGetCapabilities({});
  const types = capabilities.map((c) => c.rpc?.type);
  assert.equal(types.at(-1), 'GET_SNAPSHOT');
  assert.equal(types.filter((type) => type === 'GET_SNAPSHOT').length, 1);
});

test('DeleteVolume refuses a volume that is still published, and refuses to guess without the reconciler', async (t) => {
  const h = await startHarness(t);
  await h.client.controller.CreateVolume(create(pvName(1)));
  await h.client.controller.ControllerPublishVolume({
    volume_id: pvName(1),
    node_id: 'node-a',
    volume_capability: mountCapability(),
  });
  await expectCode(h.client.controller.DeleteVolume({ volume_id: pvName(1) }), status.FAILED_PRECONDITION);
  assert.equal(h.connector.volumes.size, 1, 'the published volume is still there');
  await h.client.controller.ControllerUnpublishVolume({ volume_id: pvName(1), node_id: 'node-a' });
  assert.deepEqual(await h.client.controller.DeleteVolume({ volume_id: pvName(1) }), {});
  assert.equal(h.connector.volumes.size, 0);

  const alone = await startHarness(t, { reconciler: false });
  await alone.client.controller.CreateVolume(create(pvName(2)));
  await expectCode(alone.client.controller.DeleteVolume({ volume_id: pvName(2) }), status.UNAVAILABLE);
  assert.equal(alone.connector.volumes.size, 1);
});
