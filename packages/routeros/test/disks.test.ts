import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GIB, MIB, TIB, parseCapacity, parseDisks } from '../src/index.js';
import type { DiskEntry } from '../src/index.js';
import { FLAGS_HEADER, ROUTEROS_MD_SAMPLE, SNAPSHOT_ID, VOLUME_ID, assertRdsError } from './fixtures.js';

const NQN = `nqn.2000-02.com.mikrotik:${VOLUME_ID}`;
const listing = (...entries: string[]): string =>
  `${FLAGS_HEADER}\n${entries.map((entry) => `${entry}\n`).join('\n')}\n`;

describe('parseDisks', () => {
  it('types every kind of entry in the ROUTEROS.md sample', () => {
    const expected: DiskEntry[] = [
      {
        index: 0,
        flags: 'BM',
        slot: 'sata1',
        type: 'hardware',
        sizeBytes: 3_840_755_982_336,
        nvmeTcpExport: false,
      },
      {
        index: 1,
        flags: 'BM',
        slot: 'storage-pool',
        type: 'raid',
        sizeBytes: 11_522_267_947_008,
        partitionSizeBytes: 11_522_267_947_008,
        mountPoint: 'storage-pool',
        freeBytes: 9_131_006_455_808,
        nvmeTcpExport: false,
      },
      {
        index: 2,
        flags: 'Bt',
        slot: VOLUME_ID,
        type: 'file',
        filePath: `/storage-pool/metal-csi/${VOLUME_ID}.img`,
        fileSizeBytes: 50 * GIB,
        sizeBytes: 53_687_091_200,
        nvmeTcpExport: true,
        nvmeTcpPort: 4420,
        nvmeTcpNqn: NQN,
      },
    ];
    assert.deepEqual(parseDisks(ROUTEROS_MD_SAMPLE), expected);
  });

  it('prefers the exact size= over the human file-size= and does not confuse partition-size= with size=', () => {
    const text = listing(
      ' 0 B t slot="a" type="file" file-size=1.1GiB size=1 181 116 416',
      ' 1 BM  slot="pool" type="partition" partition-size=2 000 000 000 000 size=1 999 999 000 000 free=5',
      ' 2 BM  slot="pool2" type="partition" size=1 000 partition-size=3 000',
    );
    const [file, pool, pool2] = parseDisks(text);
    assert.equal(file?.sizeBytes, 1_181_116_416);
    assert.equal(file?.fileSizeBytes, 1_181_116_006);
    assert.equal(pool?.sizeBytes, 1_999_999_000_000);
    assert.equal(pool?.partitionSizeBytes, 2_000_000_000_000);
    assert.equal(pool2?.sizeBytes, 1000);
    assert.equal(pool2?.partitionSizeBytes, 3000);
  });

  it('falls back to file-size= when size= is missing', () => {
    const [disk] = parseDisks(
      listing(
        ` 0 B   slot="${SNAPSHOT_ID}" type=file file-path=/storage-pool/metal-csi/${SNAPSHOT_ID}.img file-size=1.5TiB`,
      ),
    );
    assert.equal(disk?.sizeBytes, 1.5 * TIB);
    assert.equal(disk?.fileSizeBytes, 1.5 * TIB);
  });

  it('reads a snapshot (no export), missing fields as absent, unknown fields ignored', () => {
    const text = listing(
      [
        ` 3 B   slot="${SNAPSHOT_ID}" type="file" file-path=/storage-pool/metal-csi/${SNAPSHOT_ID}.img`,
        '       file-size=1024.0MiB nvme-tcp-export=no nvme-tcp-server-nqn="" mount-point="" size=1 073 741 824',
        '       read-ops=17 brand-new="x"',
      ].join('\n'),
    );
    assert.deepEqual(parseDisks(text), [
      {
        index: 3,
        flags: 'B',
        slot: SNAPSHOT_ID,
        type: 'file',
        filePath: `/storage-pool/metal-csi/${SNAPSHOT_ID}.img`,
        fileSizeBytes: 1024 * MIB,
        sizeBytes: 1024 * MIB,
        nvmeTcpExport: false,
      },
    ]);
  });

  it('takes the export state from the t flag when nvme-tcp-export= is not printed', () => {
    const disks = parseDisks(listing(' 0 B t slot="a" type=file', ' 1 B   slot="b" type=file'));
    assert.deepEqual(
      disks.map((disk) => disk.nvmeTcpExport),
      [true, false],
    );
  });

  it('makes a file-path without its leading slash absolute', () => {
    const [disk] = parseDisks(listing(' 0 B slot="a" type=file file-path="storage-pool/metal-csi/a.img"'));
    assert.equal(disk?.filePath, '/storage-pool/metal-csi/a.img');
  });

  it('reads a bare file-path wrapped mid-token', () => {
    const text = listing(
      [
        ' 0 B t slot="pvc-test-123" type=file model="/storage-pool/test.img" file-path=/storage-pool/metal-csi/pvc-te',
        '       st-123.img file-size=50.0GiB nvme-tcp-export=yes nvme-tcp-server-port=4420',
        '       nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:pvc-te',
        '       st-123" size=53 687 091 200',
      ].join('\n'),
    );
    const [disk] = parseDisks(text);
    assert.equal(disk?.filePath, '/storage-pool/metal-csi/pvc-test-123.img');
    assert.equal(disk?.nvmeTcpNqn, 'nqn.2000-02.com.mikrotik:pvc-test-123');
  });

  it('returns no disks for an empty listing', () => {
    assert.deepEqual(parseDisks(''), []);
    assert.deepEqual(parseDisks(`${FLAGS_HEADER}\n`), []);
  });

  const garbled: Array<[string, string, RegExp]> = [
    ['a size that is not a number', ' 0 B slot="a" type=file size=abc', /size="abc"/],
    ['a size with bad digit groups', ' 0 B slot="a" type=file size=53 687 09', /size="53 687 09"/],
    ['a human size with a decimal unit', ' 0 B slot="a" type=file file-size=50.0GB', /file-size="50.0GB"/],
    ['free space that is negative', ' 0 BM slot="a" type=raid free=-5', /free="-5"/],
    [
      'an export flag that is not yes/no',
      ' 0 B slot="a" type=file nvme-tcp-export=maybe',
      /nvme-tcp-export="maybe".*yes or no/,
    ],
    ['port 0', ' 0 B slot="a" type=file nvme-tcp-server-port=0', /nvme-tcp-server-port="0"/],
    ['port 99999', ' 0 B slot="a" type=file nvme-tcp-server-port=99999', /TCP port/],
    ['a port that is not a number', ' 0 B slot="a" type=file nvme-tcp-server-port=44x0', /TCP port/],
    ['a missing slot', ' 0 B type=file size=1', /disk entry 0 has no slot=/],
    ['an empty slot', ' 0 B slot="" type=file', /has no slot=/],
    ['a missing type', ' 0 B slot="a" size=1', /disk entry 0 \(a\) has no type=/],
  ];
  for (const [name, entry, message] of garbled) {
    it(`is INTERNAL for ${name}, naming the entry and field`, () => {
      assertRdsError(() => parseDisks(listing(entry)), 'INTERNAL', message);
    });
  }
});

describe('parseCapacity', () => {
  it('reads size= and free= of the pool mounted at the mount point', () => {
    assert.deepEqual(parseCapacity(ROUTEROS_MD_SAMPLE, 'storage-pool'), {
      totalBytes: 11_522_267_947_008,
      freeBytes: 9_131_006_455_808,
    });
  });

  it('reads the filtered output with only the pool entry, whatever the field order', () => {
    const text = listing(
      ' 1 BM  slot="storage-pool" type="raid" free=100 mount-point="storage-pool"\n       partition-size=999 size=1 000',
    );
    assert.deepEqual(parseCapacity(text, 'storage-pool'), { totalBytes: 1000, freeBytes: 100 });
  });

  it('matches mount points with or without a leading slash', () => {
    const text = listing(' 1 BM  slot="nvme1" type="hardware" mount-point="/nvme1" size=2 048 free=1 024');
    assert.deepEqual(parseCapacity(text, 'nvme1'), { totalBytes: 2048, freeBytes: 1024 });
  });

  it('is NOT_FOUND when nothing is mounted there', () => {
    assertRdsError(() => parseCapacity('', 'storage-pool'), 'NOT_FOUND', /mounted at "storage-pool"/);
    assertRdsError(() => parseCapacity(`${FLAGS_HEADER}\n`, 'storage-pool'), 'NOT_FOUND');
    assertRdsError(() => parseCapacity(ROUTEROS_MD_SAMPLE, 'other-pool'), 'NOT_FOUND', /other-pool/);
  });

  const broken: Array<[string, string, RegExp]> = [
    ['size missing', ' 1 BM slot="p" type=raid mount-point="storage-pool" free=5', /has no size=/],
    ['free missing', ' 1 BM slot="p" type=raid mount-point="storage-pool" size=5', /has no free=/],
    [
      'free garbled',
      ' 1 BM slot="p" type=raid mount-point="storage-pool" size=5 free=1.2TiB',
      /free="1.2TiB"/,
    ],
    [
      'size truncated',
      ' 1 BM slot="p" type=raid mount-point="storage-pool" size=11 522 26 free=1',
      /size="11 522 26"/,
    ],
    [
      'free larger than size',
      ' 1 BM slot="p" type=raid mount-point="storage-pool" size=5 free=6',
      /larger than size/,
    ],
  ];
  for (const [name, entry, message] of broken) {
    it(`is INTERNAL when ${name}`, () =>
      assertRdsError(() => parseCapacity(listing(entry), 'storage-pool'), 'INTERNAL', message));
  }

  it('is INTERNAL when two disks claim the mount point', () => {
    const text = listing(
      ' 0 BM slot="a" type=raid mount-point="p" size=2 free=1',
      ' 1 BM slot="b" type=raid mount-point="p" size=2 free=1',
    );
    assertRdsError(() => parseCapacity(text, 'p'), 'INTERNAL', /2 disks/);
  });

  it('is INTERNAL for garbage instead of a listing', () => {
    assertRdsError(() => parseCapacity('failure: not enough space\n', 'storage-pool'), 'INTERNAL');
  });
});
