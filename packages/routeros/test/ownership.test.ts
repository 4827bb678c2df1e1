import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRemoveLeftoverFile,
  diskProblem,
  isDriverSnapshot,
  isDriverVolume,
  parseDisks,
} from '../src/index.js';
import type { DiskEntry } from '../src/index.js';
import { BASE, FLAGS_HEADER, SNAPSHOT_ID, VOLUME_ID } from './fixtures.js';

const NQN = `nqn.2000-02.com.mikrotik:${VOLUME_ID}`;
const volume: DiskEntry = {
  index: 6,
  flags: 'Bt',
  slot: VOLUME_ID,
  type: 'file',
  filePath: `${BASE}/${VOLUME_ID}.img`,
  sizeBytes: 1024,
  nvmeTcpExport: true,
  nvmeTcpPort: 4420,
  nvmeTcpNqn: NQN,
};
const snapshot: DiskEntry = {
  index: 7,
  flags: 'B',
  slot: SNAPSHOT_ID,
  type: 'file',
  filePath: `${BASE}/${SNAPSHOT_ID}.img`,
  sizeBytes: 1024,
  nvmeTcpExport: false,
};

describe('isDriverVolume: only disks with the driver naming on every count', () => {
  const cases: Array<[string, Partial<DiskEntry>, boolean]> = [
    ['the driver volume', {}, true],
    ['in a volumePath directory under the base', { filePath: `${BASE}/fast/${VOLUME_ID}.img` }, true],
    ['file outside the base path', { filePath: `/storage-pool/other/${VOLUME_ID}.img` }, false],
    ['base path as a name prefix only', { filePath: `${BASE}2/${VOLUME_ID}.img` }, false],
    ['file not named like the slot', { filePath: `${BASE}/boot.img` }, false],
    ['file without .img', { filePath: `${BASE}/${VOLUME_ID}` }, false],
    ['no file path', { filePath: undefined }, false],
    ['foreign NQN', { nvmeTcpNqn: 'nqn.2014-08.org.example:boot' }, false],
    ['NQN of another slot', { nvmeTcpNqn: 'nqn.2000-02.com.mikrotik:pvc-other' }, false],
    ['not exported', { nvmeTcpExport: false }, false],
    ['a hardware disk', { type: 'hardware' }, false],
    ['slot that is no volume ID', { slot: 'Boot_Disk' }, false],
  ];
  for (const [name, change, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const disk = { ...volume, ...change };
      if (change.filePath === undefined && 'filePath' in change) delete disk.filePath;
      assert.equal(isDriverVolume(disk, BASE), expected);
    });
  }
  it('a snapshot is not a volume, and a volume not a snapshot', () => {
    assert.equal(isDriverVolume(snapshot, BASE), false);
    assert.equal(isDriverSnapshot(snapshot, BASE), true);
    assert.equal(isDriverSnapshot(volume, BASE), false);
    assert.equal(isDriverSnapshot({ ...snapshot, filePath: `/elsewhere/${SNAPSHOT_ID}.img` }, BASE), false);
  });
});

describe('disabled and inactive disks', () => {
  const listing = [
    FLAGS_HEADER,
    ` 6 X B t slot="${VOLUME_ID}" type="file" file-path="${BASE}/${VOLUME_ID}.img"`,
    `         nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn="${NQN}"`,
    '',
    ` 7  IB t slot="pvc-b" type="file" file-path="${BASE}/pvc-b.img" nvme-tcp-export=yes`,
    '',
    ` 8   B t slot="pvc-c" type="file" file-path="${BASE}/pvc-c.img" nvme-tcp-export=yes`,
    '',
  ].join('\n');
  it('reads the X and I flags', () => {
    const disks = parseDisks(listing);
    assert.deepEqual(
      disks.map((d) => [d.slot, d.disabled, d.inactive]),
      [
        [VOLUME_ID, true, undefined],
        ['pvc-b', undefined, true],
        ['pvc-c', undefined, undefined],
      ],
    );
    assert.match(diskProblem(disks[0] as DiskEntry) ?? '', /is disabled/);
    assert.match(diskProblem(disks[1] as DiskEntry) ?? '', /inactive .* backing file .*pvc-b.img is missing/);
    assert.equal(diskProblem(disks[2] as DiskEntry), undefined);
  });
});

describe('buildRemoveLeftoverFile', () => {
  it('matches the volume image anywhere under the base path, dots taken literally', () => {
    assert.equal(
      buildRemoveLeftoverFile(VOLUME_ID, '/storage-pool/csi.v2'),
      `/file remove [find name~"^storage-pool/csi[.]v2/([A-Za-z0-9._-]+/)*${VOLUME_ID}[.]img\\$"]`,
    );
  });
  it('validates the ID and the base path', () => {
    assert.throws(() => buildRemoveLeftoverFile('pvc-x"; /system reboot', BASE), /volume ID/);
    assert.throws(() => buildRemoveLeftoverFile(VOLUME_ID, 'relative'), /base path/);
  });
});
