import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GIB,
  MIB,
  buildCapacityQuery,
  buildCopyVolume,
  buildCreateSnapshot,
  buildCreateVolume,
  buildCreateVolumeAndPrint,
  buildPrintAllDisks,
  buildPrintDisk,
  buildPrintDisks,
  buildPrintDisksByPrefix,
  buildRemoveDisk,
  buildRemoveDiskAndFile,
  buildRemoveFile,
  buildResize,
  chainCommands,
  quoteRouterOsString,
} from '../src/index.js';
import type { RouterOsCommand } from '../src/index.js';
import {
  BASE,
  INJECTION_ATTEMPTS,
  NUMBER_INJECTIONS,
  PATH_INJECTIONS,
  SNAPSHOT_ID,
  VOLUME_ID,
  assertRdsError,
} from './fixtures.js';

const NQN = `nqn.2000-02.com.mikrotik:${VOLUME_ID}`;
const FILE = `${BASE}/${VOLUME_ID}.img`;
const EXPORT = `nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn=${NQN}`;

describe('exact command lines', () => {
  const cases: Array<[string, () => RouterOsCommand, string]> = [
    [
      'create volume',
      () => buildCreateVolume({ id: VOLUME_ID, basePath: BASE, sizeBytes: 50 * GIB, port: 4420 }),
      `/disk add type=file file-path=${FILE} file-size=50G slot=${VOLUME_ID} ${EXPORT}`,
    ],
    [
      'create volume in a volumePath directory, size rounded up to MiB',
      () =>
        buildCreateVolume({
          id: VOLUME_ID,
          basePath: BASE,
          volumePath: `${BASE}/fast`,
          sizeBytes: GIB + 1,
          port: 4420,
        }),
      `/disk add type=file file-path=${BASE}/fast/${VOLUME_ID}.img file-size=1025M slot=${VOLUME_ID} ${EXPORT}`,
    ],
    [
      'create volume on another port',
      () => buildCreateVolume({ id: 'vol-1', basePath: '/nvme1', sizeBytes: 1, port: 4421 }),
      '/disk add type=file file-path=/nvme1/vol-1.img file-size=1M slot=vol-1 nvme-tcp-export=yes nvme-tcp-server-port=4421 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:vol-1',
    ],
    [
      'create then print in one round trip',
      () => buildCreateVolumeAndPrint({ id: VOLUME_ID, basePath: BASE, sizeBytes: 10 * GIB, port: 4420 }),
      `/disk add type=file file-path=${FILE} file-size=10G slot=${VOLUME_ID} ${EXPORT}; /disk print detail where slot=${VOLUME_ID}`,
    ],
    ['print one', () => buildPrintDisk(VOLUME_ID), `/disk print detail where slot=${VOLUME_ID}`],
    [
      'print several',
      () => buildPrintDisks([VOLUME_ID, 'snap-x', VOLUME_ID]),
      `/disk print detail where slot=${VOLUME_ID} or slot=snap-x`,
    ],
    ['print by prefix', () => buildPrintDisksByPrefix('pvc-'), '/disk print detail where slot~"^pvc-"'],
    [
      'print snapshots by prefix',
      () => buildPrintDisksByPrefix('snap-'),
      '/disk print detail where slot~"^snap-"',
    ],
    ['print all', () => buildPrintAllDisks(), '/disk print detail'],
    ['remove disk', () => buildRemoveDisk(VOLUME_ID), `/disk remove [find slot=${VOLUME_ID}]`],
    [
      'remove backing file',
      () => buildRemoveFile({ filePath: FILE, basePath: BASE }),
      `/file remove "storage-pool/metal-csi/${VOLUME_ID}.img"`,
    ],
    [
      'remove disk and file in one command line',
      () => buildRemoveDiskAndFile({ slot: VOLUME_ID, filePath: FILE, basePath: BASE }),
      `/disk remove [find slot=${VOLUME_ID}]; /file remove "storage-pool/metal-csi/${VOLUME_ID}.img"`,
    ],
    [
      'resize to whole GiB',
      () => buildResize(VOLUME_ID, 100 * GIB),
      `/disk set [find slot=${VOLUME_ID}] file-size=100G`,
    ],
    [
      'resize rounds up to MiB',
      () => buildResize(VOLUME_ID, 1536 * MIB - 7),
      `/disk set [find slot=${VOLUME_ID}] file-size=1536M`,
    ],
    [
      'snapshot',
      () => buildCreateSnapshot({ snapshotId: SNAPSHOT_ID, sourceVolumeId: VOLUME_ID, basePath: BASE }),
      `/disk add type=file file-path=${BASE}/${SNAPSHOT_ID}.img copy-from=[find slot=${VOLUME_ID}] slot=${SNAPSHOT_ID}`,
    ],
    [
      'restore from a snapshot',
      () => buildCopyVolume({ id: VOLUME_ID, sourceSlot: SNAPSHOT_ID, basePath: BASE, port: 4420 }),
      `/disk add type=file file-path=${FILE} copy-from=[find slot=${SNAPSHOT_ID}] slot=${VOLUME_ID} ${EXPORT}`,
    ],
    [
      'clone a volume into a volumePath directory',
      () =>
        buildCopyVolume({
          id: VOLUME_ID,
          sourceSlot: 'pvc-source',
          basePath: BASE,
          volumePath: `${BASE}/x`,
          port: 4420,
        }),
      `/disk add type=file file-path=${BASE}/x/${VOLUME_ID}.img copy-from=[find slot=pvc-source] slot=${VOLUME_ID} ${EXPORT}`,
    ],
    ['capacity', () => buildCapacityQuery(BASE), '/disk print detail where mount-point="storage-pool"'],
  ];
  for (const [name, build, expected] of cases) {
    it(name, () => assert.equal(build(), expected));
  }

  it('chains restore, resize and print into one command line', () => {
    const restore = buildCopyVolume({ id: VOLUME_ID, sourceSlot: SNAPSHOT_ID, basePath: BASE, port: 4420 });
    const line = chainCommands([restore, buildResize(VOLUME_ID, 20 * GIB), buildPrintDisk(VOLUME_ID)]);
    assert.equal(
      line,
      `${restore}; /disk set [find slot=${VOLUME_ID}] file-size=20G; /disk print detail where slot=${VOLUME_ID}`,
    );
    assertRdsError(() => chainCommands([]), 'INVALID_ARGUMENT');
  });
});

describe('quoteRouterOsString', () => {
  it('escapes everything that could end the string or expand a variable', () => {
    assert.equal(quoteRouterOsString('storage-pool'), '"storage-pool"');
    assert.equal(quoteRouterOsString('a"b\\c$d?e'), '"a\\"b\\\\c\\$d\\?e"');
    assert.equal(quoteRouterOsString('a\nb\u0000'), '"a\\0Ab\\00"');
  });
});

const PREFIX_INJECTIONS = INJECTION_ATTEMPTS.filter((value) => value !== 'pvc-');
const IN_BASE = PATH_INJECTIONS.map((tail) => `${BASE}/${tail}`);

/** Every builder with one field replaced by each hostile value; each must throw INVALID_ARGUMENT. */
const FIELD_CASES: Array<[string, readonly unknown[], (hostile: never) => unknown]> = [
  [
    'create: id',
    INJECTION_ATTEMPTS,
    (v) => buildCreateVolume({ id: v, basePath: BASE, sizeBytes: GIB, port: 4420 }),
  ],
  [
    'create: basePath',
    [...IN_BASE, ...INJECTION_ATTEMPTS],
    (v) => buildCreateVolume({ id: VOLUME_ID, basePath: v, sizeBytes: GIB, port: 4420 }),
  ],
  [
    'create: volumePath',
    IN_BASE,
    (v) => buildCreateVolume({ id: VOLUME_ID, basePath: BASE, volumePath: v, sizeBytes: GIB, port: 4420 }),
  ],
  [
    'create: port',
    NUMBER_INJECTIONS,
    (v) => buildCreateVolume({ id: VOLUME_ID, basePath: BASE, sizeBytes: GIB, port: v }),
  ],
  [
    'create: size',
    NUMBER_INJECTIONS,
    (v) => buildCreateVolume({ id: VOLUME_ID, basePath: BASE, sizeBytes: v, port: 4420 }),
  ],
  [
    'create+print: id',
    INJECTION_ATTEMPTS,
    (v) => buildCreateVolumeAndPrint({ id: v, basePath: BASE, sizeBytes: GIB, port: 4420 }),
  ],
  [
    'copy: id',
    INJECTION_ATTEMPTS,
    (v) => buildCopyVolume({ id: v, sourceSlot: SNAPSHOT_ID, basePath: BASE, port: 4420 }),
  ],
  [
    'copy: source',
    INJECTION_ATTEMPTS,
    (v) => buildCopyVolume({ id: VOLUME_ID, sourceSlot: v, basePath: BASE, port: 4420 }),
  ],
  [
    'copy: volumePath',
    IN_BASE,
    (v) =>
      buildCopyVolume({ id: VOLUME_ID, sourceSlot: SNAPSHOT_ID, basePath: BASE, volumePath: v, port: 4420 }),
  ],
  [
    'copy: port',
    NUMBER_INJECTIONS,
    (v) => buildCopyVolume({ id: VOLUME_ID, sourceSlot: SNAPSHOT_ID, basePath: BASE, port: v }),
  ],
  [
    'snapshot: id',
    INJECTION_ATTEMPTS,
    (v) => buildCreateSnapshot({ snapshotId: v, sourceVolumeId: VOLUME_ID, basePath: BASE }),
  ],
  [
    'snapshot: source',
    INJECTION_ATTEMPTS,
    (v) => buildCreateSnapshot({ snapshotId: SNAPSHOT_ID, sourceVolumeId: v, basePath: BASE }),
  ],
  [
    'snapshot: basePath',
    IN_BASE,
    (v) => buildCreateSnapshot({ snapshotId: SNAPSHOT_ID, sourceVolumeId: VOLUME_ID, basePath: v }),
  ],
  ['print: slot', INJECTION_ATTEMPTS, (v) => buildPrintDisk(v)],
  ['print several: any slot', INJECTION_ATTEMPTS, (v) => buildPrintDisks([VOLUME_ID, v])],
  ['print by prefix: prefix', PREFIX_INJECTIONS, (v) => buildPrintDisksByPrefix(v)],
  ['remove disk: slot', INJECTION_ATTEMPTS, (v) => buildRemoveDisk(v)],
  [
    'remove file: path',
    IN_BASE.map((path) => `${path}.img`),
    (v) => buildRemoveFile({ filePath: v, basePath: BASE }),
  ],
  ['remove file: basePath', IN_BASE, (v) => buildRemoveFile({ filePath: FILE, basePath: v })],
  [
    'remove disk+file: slot',
    INJECTION_ATTEMPTS,
    (v) => buildRemoveDiskAndFile({ slot: v, filePath: FILE, basePath: BASE }),
  ],
  [
    'remove disk+file: path',
    IN_BASE,
    (v) => buildRemoveDiskAndFile({ slot: VOLUME_ID, filePath: v, basePath: BASE }),
  ],
  ['resize: slot', INJECTION_ATTEMPTS, (v) => buildResize(v, GIB)],
  ['resize: size', NUMBER_INJECTIONS, (v) => buildResize(VOLUME_ID, v)],
  ['capacity: basePath', IN_BASE, (v) => buildCapacityQuery(v)],
];

describe('injection attempts are rejected before any command is built', () => {
  for (const [name, values, build] of FIELD_CASES) {
    it(`${name} (${values.length} hostile values)`, () => {
      for (const hostile of values) assertRdsError(() => build(hostile as never), 'INVALID_ARGUMENT');
    });
  }

  it('rejects paths that leave the base or are not the slot image', () => {
    const outside = ['/storage-pool/metal-csi2', '/storage-pool', `${BASE}/../other`, `${BASE}/x/../../y`];
    for (const volumePath of outside) {
      assertRdsError(
        () => buildCreateVolume({ id: VOLUME_ID, basePath: BASE, volumePath, sizeBytes: GIB, port: 4420 }),
        'INVALID_ARGUMENT',
        /volume path/,
      );
    }
    const wrongFiles = [
      `${BASE}/pvc-other.img`,
      `/storage-pool/${VOLUME_ID}.img`,
      `${BASE}/${VOLUME_ID}.img.bak`,
      `${BASE}/config.rsc`,
    ];
    for (const filePath of wrongFiles) {
      assertRdsError(
        () => buildRemoveDiskAndFile({ slot: VOLUME_ID, filePath, basePath: BASE }),
        'INVALID_ARGUMENT',
        /backing file/,
      );
    }
  });

  it('rejects sizes that would truncate or overflow', () => {
    assertRdsError(() => buildResize(VOLUME_ID, 0), 'INVALID_ARGUMENT');
    assertRdsError(() => buildResize(VOLUME_ID, 1.5), 'INVALID_ARGUMENT');
    assertRdsError(() => buildResize(VOLUME_ID, 2 ** 51), 'OUT_OF_RANGE');
  });
});
