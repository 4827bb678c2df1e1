import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RdsCsiError } from '@rds-csi/contracts';
import { pageOf } from '@rds-csi/bus';
import { snapshotIdForName, uuidV5, volumeIdForName } from '../src/controller/ids.js';
import { MIB, parseCapacityRange, sizeForRange } from '../src/controller/capacity.js';
import { checkCapability } from '../src/controller/access.js';
import { parseVolumeParameters } from '../src/controller/parameters.js';
import { filteredPage, parsePageRequest, tokenAfter } from '../src/controller/pagination.js';
import { parseEndpoint } from '../src/server/endpoint.js';
import { toGrpcFailure } from '../src/server/errors.js';
import { InFlightKeys } from '../src/server/locks.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as RdsCsiError).code;
  }
  return 'OK';
};

test('uuid v5 matches the RFC 4122 algorithm (vectors from Python uuid.uuid5 with NAMESPACE_DNS)', () => {
  assert.equal(uuidV5('python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  assert.equal(uuidV5('snapshot-1'), '6a68ee75-bc83-5a99-a647-c2bf3ee96f67');
  assert.equal(snapshotIdForName('snapshot-1'), 'snap-6a68ee75-bc83-5a99-a647-c2bf3ee96f67-at-6a68ee75bc');
  assert.equal(volumeIdForName('my volume'), 'pvc-dc82a5ad-a060-5185-8d9a-a7a1b23a9dd2');
  const pv = 'pvc-3f2504e0-4f89-11d3-9a0c-0305e82c3301';
  assert.equal(volumeIdForName(pv), pv);
  assert.notEqual(volumeIdForName(pv.toUpperCase()), pv.toUpperCase());
});

test('capacity: round up to MiB, floors from sources, limits, and overflow', () => {
  const range = (required: number | string, limit: number | string = 0) =>
    parseCapacityRange({
      required_bytes: String(required),
      limit_bytes: String(limit),
    });
  assert.equal(sizeForRange(range(1), 0, 1024 * MIB), MIB);
  assert.equal(sizeForRange(range(0), 0, 1024 * MIB), 1024 * MIB);
  assert.equal(sizeForRange(range(0), 3 * MIB + 1, 1024 * MIB), 4 * MIB);
  assert.equal(sizeForRange(range(0, 5 * MIB + 1), 0, 1024 * MIB), 5 * MIB);
  assert.equal(
    code(() => sizeForRange(range(0, 5 * MIB), 6 * MIB, 1024 * MIB)),
    'OUT_OF_RANGE',
  );
  assert.equal(
    code(() => range(2, 1)),
    'OUT_OF_RANGE',
  );
  assert.equal(
    code(() => range(-1)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    code(() => range('9007199254740993')),
    'OUT_OF_RANGE',
  );
  assert.deepEqual(parseCapacityRange(null), { required: 0, limit: 0 });
});

test('access matrix outcomes', () => {
  const cap = (type: 'block' | 'mount', mode: string) => ({
    [type]: type === 'mount' ? { fs_type: '', mount_flags: [], volume_mount_group: '' } : {},
    access_type: type,
    access_mode: { mode: mode as never },
  });
  assert.deepEqual(checkCapability(cap('block', 'MULTI_NODE_MULTI_WRITER')), {
    volumeMode: 'block',
    access: 'multi-node',
    fsType: undefined,
  });
  assert.deepEqual(checkCapability(cap('mount', 'SINGLE_NODE_WRITER')), {
    volumeMode: 'filesystem',
    access: 'single-node',
    fsType: '',
  });
  assert.ok('problem' in checkCapability(cap('mount', 'MULTI_NODE_MULTI_WRITER')));
  assert.ok('problem' in checkCapability(null));
});

test('StorageClass parameters: defaults, clamping, reserved keys, and the first unknown key named', () => {
  assert.deepEqual(parseVolumeParameters({}), {
    ctrlLossTmo: -1,
    reconnectDelay: 5,
    keepAliveTmo: 0,
    migrationTimeoutSeconds: 300,
  });
  assert.equal(parseVolumeParameters({ migrationTimeoutSeconds: '5' }).migrationTimeoutSeconds, 30);
  assert.equal(
    parseVolumeParameters({ migrationTimeoutSeconds: '-5' }).migrationTimeoutSeconds,
    30,
    'clamped, not refused',
  );
  assert.equal(parseVolumeParameters({ migrationTimeoutSeconds: '7200' }).migrationTimeoutSeconds, 3600);
  assert.deepEqual(
    parseVolumeParameters({
      'csi.storage.k8s.io/pvc/namespace': 'x',
      volumePath: 'pool/vols/',
      nvmeAddress: 'fd00::1',
    }),
    {
      ctrlLossTmo: -1,
      reconnectDelay: 5,
      keepAliveTmo: 0,
      migrationTimeoutSeconds: 300,
      volumePath: 'pool/vols/',
      nvmeAddress: 'fd00::1',
    },
  );
  assert.throws(
    () => parseVolumeParameters({ zeta: '1', alpha: '2' }),
    /unknown parameter\(s\): alpha, zeta/,
  );
  assert.throws(() => parseVolumeParameters({ nvmePort: '+4420' }), /integer/);
});

test('pagination tokens map CSI pages onto service pages, filtered or not', async () => {
  const valid = (id: string) => /^[a-z]$/.test(id);
  const items = ['d', 'b', 'a', 'c', 'e'];
  // The service side of the mapping is the rds-connector's own paging rule.
  const fetched: unknown[] = [];
  const fetch = async (request: { cursor?: string; limit?: number }) => {
    fetched.push(request);
    const { items: page, nextCursor } = pageOf(items, (x) => x, request, 1 << 20);
    return { items: page, nextCursor };
  };
  const list = (max: number, token: string, matches = (_: string) => true) =>
    filteredPage(
      parsePageRequest({ max_entries: max, starting_token: token }, valid),
      (x) => x,
      matches,
      fetch,
    );

  const first = await list(3, '');
  assert.deepEqual(first, { items: ['a', 'b', 'c'], nextCursor: 'c' });
  assert.deepEqual(fetched, [{ limit: 3 }], 'one service page per CSI page');
  assert.deepEqual(await list(3, tokenAfter(first.nextCursor)), { items: ['d', 'e'] });
  assert.deepEqual(await list(0, ''), { items: ['a', 'b', 'c', 'd', 'e'] });
  const odd = (x: string) => 'ace'.includes(x);
  const firstOdd = await list(2, '', odd);
  assert.deepEqual(firstOdd, { items: ['a', 'c'], nextCursor: 'c' });
  assert.deepEqual(await list(2, tokenAfter(firstOdd.nextCursor), odd), { items: ['e'] });
  assert.equal(tokenAfter(undefined), '');
  assert.equal(
    code(() => parsePageRequest({ max_entries: 0, starting_token: 'c' }, valid)),
    'ABORTED',
  );
  assert.equal(
    code(() => parsePageRequest({ max_entries: -1, starting_token: '' }, valid)),
    'INVALID_ARGUMENT',
  );
});

test('endpoints: unix and tcp forms, everything else refused', () => {
  assert.deepEqual(parseEndpoint('unix:///csi/csi.sock'), { kind: 'unix', path: '/csi/csi.sock' });
  assert.deepEqual(parseEndpoint('unix:/csi/csi.sock'), { kind: 'unix', path: '/csi/csi.sock' });
  assert.deepEqual(parseEndpoint('tcp://127.0.0.1:10000'), { kind: 'tcp', host: '127.0.0.1', port: 10000 });
  assert.deepEqual(parseEndpoint('tcp://[::1]:0'), { kind: 'tcp', host: '[::1]', port: 0 });
  for (const bad of [
    '/csi/csi.sock',
    'unix://relative.sock',
    'unix:///dir/',
    'tcp://host',
    'tcp://h:99999',
    'http://x:1',
  ]) {
    assert.throws(() => parseEndpoint(bad), /endpoint/, bad);
  }
});

test('error mapping keeps RdsCsiError codes and hides everything else', () => {
  assert.deepEqual(toGrpcFailure(new RdsCsiError('NOT_FOUND', 'volume x')), {
    code: 5,
    codeName: 'NOT_FOUND',
    details: 'volume x',
    expected: true,
  });
  const hidden = toGrpcFailure(new TypeError('secret internals at /src/x.ts:1'));
  assert.equal(hidden.code, 13);
  assert.doesNotMatch(hidden.details, /secret|src/);
  assert.equal(hidden.expected, false);
});

test('in-flight keys: second claim is ABORTED until released', () => {
  const keys = new InFlightKeys();
  keys.acquire('volume:a', 'volume a');
  assert.equal(
    code(() => keys.acquire('volume:a', 'volume a')),
    'ABORTED',
  );
  keys.acquire('volume:b', 'volume b');
  keys.release('volume:a');
  keys.acquire('volume:a', 'volume a');
  assert.equal(keys.size, 2);
});
