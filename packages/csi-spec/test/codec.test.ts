import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  csiServices,
  redactSensitive,
  REDACTED,
  type CreateVolumeRequest,
  type Input,
} from '../src/index.js';

const createVolume = csiServices.Controller.CreateVolume!;
const probe = csiServices.Identity.Probe!;
const createSnapshot = csiServices.Controller.CreateSnapshot!;

function roundTrip(request: Input<CreateVolumeRequest>): CreateVolumeRequest {
  return createVolume.requestDeserialize(createVolume.requestSerialize(request)) as CreateVolumeRequest;
}

test('int64 sizes survive exactly, far beyond 2^31 and 2^53, as decimal strings', () => {
  for (const bytes of ['2147483648', '4294967297', '9007199254740993', '9223372036854775807']) {
    assert.equal(
      roundTrip({ capacity_range: { required_bytes: bytes as `${bigint}` } }).capacity_range?.required_bytes,
      bytes,
    );
  }
  assert.equal(
    roundTrip({ capacity_range: { limit_bytes: 2 ** 40 + 1 } }).capacity_range?.limit_bytes,
    String(2 ** 40 + 1),
  );
  assert.equal(roundTrip({ capacity_range: { required_bytes: -5 } }).capacity_range?.required_bytes, '-5');
});

test('an empty message decodes with every scalar, list and map defaulted and sub-messages null', () => {
  assert.deepEqual(createVolume.requestDeserialize(Buffer.alloc(0)), {
    name: '',
    capacity_range: null,
    volume_capabilities: [],
    parameters: {},
    secrets: {},
    volume_content_source: null,
    accessibility_requirements: null,
    mutable_parameters: {},
  });
});

test('the hand-written wire bytes of a CreateVolumeRequest decode as the spec says', () => {
  // name(1)="n", capacity_range(2){required_bytes(1)=1024}, volume_capabilities(3){block(1){}, access_mode(3){mode(1)=5}}
  const bytes = Buffer.from([
    0x0a, 0x01, 0x6e, 0x12, 0x03, 0x08, 0x80, 0x08, 0x1a, 0x06, 0x0a, 0x00, 0x1a, 0x02, 0x08, 0x05,
  ]);
  const decoded = createVolume.requestDeserialize(bytes) as CreateVolumeRequest;
  assert.equal(decoded.name, 'n');
  assert.equal(decoded.capacity_range?.required_bytes, '1024');
  assert.deepEqual(decoded.volume_capabilities, [
    { block: {}, access_type: 'block', access_mode: { mode: 'MULTI_NODE_MULTI_WRITER' } },
  ]);
  const encoded = createVolume.requestSerialize({
    name: 'n',
    capacity_range: { required_bytes: 1024 },
    volume_capabilities: [{ block: {}, access_mode: { mode: 'MULTI_NODE_MULTI_WRITER' } }],
  } satisfies Input<CreateVolumeRequest>);
  assert.deepEqual(encoded, bytes);
});

test('oneofs name their set member; an enum value the definition does not know arrives as its number', () => {
  const decoded = roundTrip({
    // @ts-expect-error -- the generated enum types list the known values; the wire (and this test) carries any number.
    volume_capabilities: [{ mount: { fs_type: 'xfs' }, access_mode: { mode: 99 } }],
  });
  assert.equal(decoded.volume_capabilities[0]?.access_type, 'mount');
  assert.equal(decoded.volume_capabilities[0]?.mount?.fs_type, 'xfs');
  assert.equal(decoded.volume_capabilities[0]?.access_mode?.mode, 99);
  assert.equal(decoded.volume_capabilities[0]?.block, undefined);
});

test('wrappers and timestamps keep unset apart from false and zero', () => {
  assert.deepEqual(probe.responseDeserialize(probe.responseSerialize({})), { ready: null });
  assert.deepEqual(probe.responseDeserialize(probe.responseSerialize({ ready: { value: false } })), {
    ready: { value: false },
  });
  const snapshot = createSnapshot.responseDeserialize(
    createSnapshot.responseSerialize({
      snapshot: { snapshot_id: 's', creation_time: { seconds: 1_700_000_000, nanos: 5 } },
    }),
  ) as { snapshot: { creation_time: unknown } };
  assert.deepEqual(snapshot.snapshot.creation_time, { seconds: '1700000000', nanos: 5 });
});

test('redactSensitive hides secrets and mount flags at any depth and leaves the rest', () => {
  const message = roundTrip({
    name: 'pvc-1',
    secrets: { password: 'hunter2' },
    volume_capabilities: [
      {
        mount: { fs_type: 'ext4', mount_flags: ['password=x'] },
        access_mode: { mode: 'SINGLE_NODE_WRITER' },
      },
    ],
  });
  const safe = JSON.stringify(redactSensitive({ request: message }));
  assert.doesNotMatch(safe, /hunter2|password=x/);
  assert.match(safe, /"name":"pvc-1"/);
  assert.match(safe, /"fs_type":"ext4"/);
  assert.equal((redactSensitive(message) as { secrets: unknown }).secrets, REDACTED);
  assert.equal(message.secrets.password, 'hunter2', 'the original is not modified');
});
