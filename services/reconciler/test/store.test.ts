import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KV } from '@nats-io/kv';
import type { Bus } from '@rds-csi/bus';
import type { Attachment } from '@rds-csi/contracts';
import { connectTestBus } from '@rds-csi/bus/testing';
import { rejectionOf, startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { decidePublish, decideUnpublish } from '../src/rules.js';
import { IDENTITY_KEY } from '../src/identity.js';
import { AttachmentStore, type StoredRecord } from '../src/store.js';
import { VOLUMES } from './harness.js';

const [VOL_A, VOL_B] = VOLUMES;
const NOW = new Date();

/** The bucket as another replica would change it: after each of the next `times` reads, it writes the key itself. */
function meddlingKv(real: KV, times: number): KV {
  let left = times;
  const get: KV['get'] = async (key, opts) => {
    const entry = await real.get(key, opts);
    if (left-- > 0) {
      if (entry?.operation === 'PUT') await real.put(key, entry.value);
      else await real.put(key, JSON.stringify(publishTo(undefined, 'node-x', key)));
    }
    return entry;
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'get') return get;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function publishTo(current: Attachment | undefined, nodeId: string, volumeId: string = VOL_A) {
  return decidePublish(
    current,
    { volumeId, nodeId, readonly: false, access: 'multi-node', volumeMode: 'block' },
    NOW,
  ).attachment;
}

describe('attachment store', () => {
  let nats: NatsServerHandle;
  let bus: Bus;
  let store: AttachmentStore;
  before(async () => {
    nats = await startNatsServer();
    bus = await connectTestBus(nats.url, 'store');
    store = new AttachmentStore(bus);
    await store.reopen();
    const { identity } = await store.ensureIdentity(NOW);
    await store.markAdopted(identity.storeId);
    store.serve(identity.storeId);
  });
  after(async () => {
    await bus?.close();
    await nats?.dispose();
  });

  function storeWith(kv: KV, conflicts: string[]): AttachmentStore {
    const meddled = new AttachmentStore(bus, { onConflict: (op) => conflicts.push(op) }, kv);
    meddled.serve(store.storeId);
    return meddled;
  }

  /** Every record of the bucket, read key by key (the identity key aside). */
  async function records(): Promise<StoredRecord[]> {
    const keys: string[] = [];
    for await (const key of await store.kv.keys()) if (key !== IDENTITY_KEY) keys.push(key);
    return Promise.all(keys.map((key) => store.read(key)));
  }

  const publishB = (current: Attachment | undefined) => {
    const d = decidePublish(
      current,
      { volumeId: VOL_A, nodeId: 'node-b', readonly: false, access: 'multi-node', volumeMode: 'block' },
      NOW,
    );
    return { change: d.change, result: d.attachment };
  };

  it('creates, updates and deletes by compare-and-set, re-creating over a delete marker', async () => {
    const created = await store.mutate(
      VOL_A,
      (c) => ({ change: { kind: 'put', value: publishTo(c, 'node-a') }, result: c }),
      { operation: 'test' },
    );
    assert.equal(created, undefined);
    const first = await store.read(VOL_A);
    assert.equal(first.kind, 'valid');
    await store.mutate(VOL_A, publishB, { operation: 'test' });
    const second = await store.read(VOL_A);
    assert.ok(second.kind === 'valid' && second.revision > first.revision);
    assert.deepEqual(
      second.attachment.nodes.map((n) => n.nodeId),
      ['node-a', 'node-b'],
    );
    await store.mutate(VOL_A, (c) => ({ change: decideUnpublish(c, undefined).change, result: null }), {
      operation: 'test',
    });
    const gone = await store.read(VOL_A);
    assert.equal(gone.kind, 'absent');
    assert.ok(gone.revision > second.revision, 'the delete marker keeps a revision to compare against');
    await store.mutate(
      VOL_A,
      (c) => ({ change: { kind: 'put', value: publishTo(c, 'node-c') }, result: null }),
      { operation: 'test' },
    );
    assert.deepEqual(
      (await records()).map((r) => (r.kind === 'valid' ? r.attachment.nodes.map((n) => n.nodeId) : r.kind)),
      [['node-c']],
    );
    await store.kv.purge(VOL_A);
  });

  it('decides again on the new record when another writer got there first', async () => {
    await store.mutate(
      VOL_A,
      (c) => ({ change: { kind: 'put', value: publishTo(c, 'node-a') }, result: null }),
      { operation: 'test' },
    );
    const conflicts: string[] = [];
    const seen: number[] = [];
    const meddled = storeWith(meddlingKv(store.kv, 2), conflicts);
    const result = await meddled.mutate(
      VOL_A,
      (current) => {
        seen.push(current?.nodes.length ?? 0);
        return publishB(current);
      },
      { operation: 'publish' },
    );
    assert.deepEqual(conflicts, ['publish', 'publish']);
    assert.equal(seen.length, 3, 'decided once per read');
    assert.deepEqual(
      result.nodes.map((n) => n.nodeId),
      ['node-a', 'node-b'],
    );
    const unpublished = await storeWith(meddlingKv(store.kv, 1), conflicts).mutate(
      VOL_A,
      (current) => ({ change: decideUnpublish(current, undefined).change, result: true }),
      { operation: 'unpublish' },
    );
    assert.equal(unpublished, true);
    assert.equal(conflicts.length, 3, 'a delete is compare-and-set too');
    assert.equal((await store.read(VOL_A)).kind, 'absent');
  });

  it('guards the creation of a new key the same way', async () => {
    const conflicts: string[] = [];
    const result = await storeWith(meddlingKv(store.kv, 1), conflicts).mutate(
      VOL_B,
      (current) => ({
        change: { kind: 'put', value: publishTo(current, 'node-b', VOL_B) },
        result: current?.nodes.map((n) => n.nodeId),
      }),
      { operation: 'publish' },
    );
    assert.deepEqual(conflicts, ['publish']);
    assert.deepEqual(result, ['node-x'], "the second decision saw the other writer's record");
  });

  it('gives up with ABORTED after a bounded number of lost races, and at the deadline', async () => {
    const aborted = await rejectionOf(() =>
      storeWith(meddlingKv(store.kv, 1000), []).mutate(VOL_A, publishB, { operation: 'publish' }),
    );
    assert.equal(aborted.code, 'ABORTED');
    const late = await rejectionOf(() =>
      store.mutate(VOL_A, publishB, { operation: 'publish', deadline: Date.now() - 1 }),
    );
    assert.equal(late.code, 'DEADLINE_EXCEEDED');
  });

  it('reports corrupt records on read and list, and never decides on them', async () => {
    await store.kv.put(VOL_B, 'not json');
    const record = await store.read(VOL_B);
    assert.equal(record.kind, 'corrupt');
    assert.deepEqual(
      (await records()).filter((r) => r.kind === 'corrupt').map((r) => r.key),
      [VOL_B],
    );
    let decided = false;
    const err = await rejectionOf(() =>
      store.mutate(
        VOL_B,
        () => {
          decided = true;
          return { change: { kind: 'delete' }, result: null };
        },
        { operation: 'clear' },
      ),
    );
    assert.equal(err.code, 'FAILED_PRECONDITION');
    assert.equal(decided, false);
    assert.equal((await store.read(VOL_B)).kind, 'corrupt', 'left for the operator');
  });
});
