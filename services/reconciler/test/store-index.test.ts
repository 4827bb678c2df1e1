import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attachment } from '@rds-csi/contracts';
import { StoreIndex } from '../src/store-index.js';
import type { StoredRecord } from '../src/store.js';
import { VOLUMES } from './harness.js';

const [VOL_A, VOL_B, VOL_C, VOL_D] = VOLUMES;

const on = (volumeId: string, ...nodes: string[]): Attachment => ({
  volumeId,
  access: 'single-node',
  volumeMode: 'filesystem',
  nodes: nodes.map((nodeId) => ({ nodeId, readonly: false, attachedAt: '2026-01-01T00:00:00.000Z' })),
});
const valid = (attachment: Attachment, revision: number, stamp?: string): StoredRecord => ({
  key: attachment.volumeId,
  revision,
  kind: 'valid',
  attachment,
  ...(stamp ? { stamp } : {}),
});

describe('the in-memory index of the store', () => {
  it("follows changes by volume and by node, keeps a stale replica's records out, and pages in volume ID order", () => {
    const changes: string[] = [];
    const index = new StoreIndex('store-1', {
      onChange: (v, _b, after) => changes.push(`${v}:${after ? 'on' : 'off'}`),
    });
    index.apply(valid(on(VOL_C, 'node-a'), 1, 'store-1'));
    index.apply(valid(on(VOL_A, 'node-a'), 2));
    index.apply(valid(on(VOL_B, 'node-b'), 3, 'store-0'));
    index.apply({ key: VOL_D, revision: 4, kind: 'corrupt', reason: 'not JSON' });

    assert.deepEqual(
      index.attachments().map((a) => a.volumeId),
      [VOL_A, VOL_C],
      'sorted; the foreign record is inert',
    );
    assert.deepEqual(
      index
        .onNode('node-a')
        .map((a) => a.volumeId)
        .sort(),
      [VOL_A, VOL_C],
    );
    assert.deepEqual(index.onNode('node-b'), []);
    assert.equal(index.record(VOL_B)?.revision, 3, 'its revision is kept for compare-and-set');
    assert.deepEqual(index.corruptRecords(), [{ key: VOL_D, reason: 'not JSON' }]);
    assert.deepEqual(
      index.attachments().map((a) => a.volumeId),
      [VOL_A, VOL_C],
      'served attachments in volume ID order',
    );

    index.apply(valid(on(VOL_C, 'node-b'), 5, 'store-1'));
    assert.deepEqual(
      index.onNode('node-a').map((a) => a.volumeId),
      [VOL_A],
      'moved off node-a',
    );
    assert.deepEqual(
      index.onNode('node-b').map((a) => a.volumeId),
      [VOL_C],
    );
    index.apply({ key: VOL_A, revision: 6, kind: 'absent' });
    assert.deepEqual(
      index.attachments().map((a) => a.volumeId),
      [VOL_C],
    );
    assert.equal(index.record(VOL_A), undefined);
    assert.deepEqual(changes, [`${VOL_C}:on`, `${VOL_A}:on`, `${VOL_C}:on`, `${VOL_A}:off`]);
  });
});
