import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DISK_PROPERTIES, FILE_PROPERTIES } from '../src/grammar.js';
import type { SimulatorState } from '../src/state.js';
import { diskItems, fileItems, freeBytes, type Pool } from '../src/views.js';

const state: SimulatorState = {
  disks: [
    {
      slot: 'pvc-1',
      fileName: 'storage-pool/k/pvc-1.img',
      nvmeTcpExport: true,
      nvmeTcpServerPort: 4420,
      nvmeTcpServerNqn: 'n',
    },
    {
      slot: 'snap-1',
      fileName: 'storage-pool/k/snap-1.img',
      nvmeTcpExport: false,
      nvmeTcpServerPort: 4420,
      nvmeTcpServerNqn: 'm',
    },
  ],
  files: [
    { name: 'storage-pool/k/pvc-1.img', size: 3000 },
    { name: 'storage-pool/k/snap-1.img', size: 3000 },
    { name: 'storage-pool/other/orphan', size: 1000 },
  ],
};
const pool: Pool = { mountPoint: 'storage-pool', sizeBytes: 10_000, reservedBytes: 500 };

describe('views', () => {
  it('only shows disk properties that where/find conditions accept', () => {
    const keys = new Set(diskItems(state, pool).flatMap((item) => item.entry.properties.map((p) => p.key)));
    assert.deepEqual(
      [...keys].filter((key) => !(DISK_PROPERTIES as readonly string[]).includes(key)),
      [],
    );
  });

  it('only shows file properties that where/find conditions accept, sorted by name, with directories', async () => {
    const items = await fileItems(state, pool, 'storage-pool/metal-csi', () => Promise.resolve(new Date(0)));
    const keys = new Set(items.flatMap((item) => item.entry.properties.map((p) => p.key)));
    assert.deepEqual(
      [...keys].filter((key) => !(FILE_PROPERTIES as readonly string[]).includes(key)),
      [],
    );
    assert.deepEqual(
      items.map((item) =>
        item.entry.properties
          .map((p) => `${p.key}=${p.shown}`)
          .slice(0, 2)
          .join(' '),
      ),
      [
        'name=storage-pool type=disk',
        'name=storage-pool/k type=directory',
        'name=storage-pool/k/pvc-1.img type=.img file',
        'name=storage-pool/k/snap-1.img type=.img file',
        'name=storage-pool/metal-csi type=directory',
        'name=storage-pool/other type=directory',
        'name=storage-pool/other/orphan type=file',
      ],
    );
  });

  it('counts every file, with or without a disk, and the reserved space against the pool', () => {
    assert.equal(freeBytes(state, pool), 10_000 - 500 - 7000);
    assert.equal(freeBytes(state, { ...pool, sizeBytes: 1000 }), 0);
  });
});
