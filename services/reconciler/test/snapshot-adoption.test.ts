import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVolumeSnapshotContent } from '@rds-csi/testkit';
import { lineageOfContent } from '../src/snapshot-adoption.js';

const DRIVER = 'rds.csi.srvlab.io';
const SNAPSHOT = 'snap-0a1b2c3d-0000-4000-8000-0000000000b0';
const VOLUME = 'pvc-0a1b2c3d-0000-4000-8000-00000000000a';

test('a VolumeSnapshotContent of the driver yields its handle, source volume and creation time', () => {
  const content = buildVolumeSnapshotContent('c', {
    snapshotHandle: SNAPSHOT,
    volumeHandle: VOLUME,
    createdAt: new Date('2024-05-06T07:08:09.123Z'),
  });
  assert.deepEqual(lineageOfContent(content, DRIVER), {
    id: SNAPSHOT,
    sourceVolumeId: VOLUME,
    createdAt: '2024-05-06T07:08:09.123Z',
  });
});

test('without status.creationTime the object creation time is used', () => {
  const content = buildVolumeSnapshotContent('c', { snapshotHandle: SNAPSHOT, volumeHandle: VOLUME });
  content.metadata.creationTimestamp = '2023-01-02T03:04:05Z';
  assert.equal(lineageOfContent(content, DRIVER)?.createdAt, '2023-01-02T03:04:05.000Z');
});

test('other drivers, pre-provisioned contents, contents not yet cut and foreign handles yield nothing', () => {
  const at = new Date();
  const cases = [
    buildVolumeSnapshotContent('a', {
      snapshotHandle: SNAPSHOT,
      volumeHandle: VOLUME,
      createdAt: at,
      driver: 'x',
    }),
    buildVolumeSnapshotContent('b', { snapshotHandle: SNAPSHOT, createdAt: at }),
    buildVolumeSnapshotContent('c', { snapshotHandle: 'snapshot-1', volumeHandle: VOLUME, createdAt: at }),
    buildVolumeSnapshotContent('d', { snapshotHandle: SNAPSHOT, volumeHandle: 'vol 1', createdAt: at }),
    { ...buildVolumeSnapshotContent('e', { snapshotHandle: SNAPSHOT, volumeHandle: VOLUME }), status: {} },
    { metadata: {}, spec: 'garbage' },
  ];
  for (const content of cases)
    assert.equal(lineageOfContent(content, DRIVER), undefined, JSON.stringify(content));
});
