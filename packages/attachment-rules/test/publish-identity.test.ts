import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attachment } from '@rds-csi/contracts';
import { decidePublish, decideStaleRemoval } from '../src/index.js';

const VOLUME = 'pvc-00000000-0000-4000-8000-000000000001';
const OLD_AT = '2026-01-01T00:00:00.000Z';
const recorded: Attachment = {
  volumeId: VOLUME,
  access: 'single-node',
  volumeMode: 'filesystem',
  nodes: [{ nodeId: 'node-a', nodeUid: 'uid-old', readonly: false, attachedAt: OLD_AT }],
};
const intent = {
  volumeId: VOLUME,
  nodeId: 'node-a',
  access: 'single-node' as const,
  volumeMode: 'filesystem' as const,
  readonly: false,
};

describe('a publish to a node re-created under the same name', () => {
  it('replaces the old object attachment instead of answering it (found by the fence model)', () => {
    const now = new Date('2026-01-01T00:10:00.000Z');
    const decision = decidePublish(recorded, { ...intent, nodeUid: 'uid-new' }, now);
    assert.equal(decision.change.kind, 'put', 'written by compare-and-set, not a keep decided from a read');
    assert.deepEqual(decision.attachment.nodes, [
      { nodeId: 'node-a', nodeUid: 'uid-new', readonly: false, attachedAt: now.toISOString() },
    ]);
    // The old object's deletion, however late it is stamped, no longer clears the new attachment.
    const late = new Date('2026-01-01T01:00:00.000Z');
    assert.equal(decideStaleRemoval(decision.attachment, 'node-a', late, 'uid-old').removed.length, 0);
  });

  it('is idempotent for the same object, and for records without a uid', () => {
    const now = new Date('2026-01-01T00:10:00.000Z');
    assert.equal(decidePublish(recorded, { ...intent, nodeUid: 'uid-old' }, now).change.kind, 'keep');
    const withoutUid: Attachment = {
      ...recorded,
      nodes: [{ nodeId: 'node-a', readonly: false, attachedAt: OLD_AT }],
    };
    assert.equal(decidePublish(withoutUid, { ...intent, nodeUid: 'uid-new' }, now).change.kind, 'keep');
  });
});
