/**
 * Concurrent disk lookups share RouterOS commands (`print detail where slot=a or slot=b ...`), through the real
 * connector and simulator; a new volume costs one round trip (create first).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints } from '@rds-csi/contracts';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { startFixture, type ConnectorFixture } from './support.js';

const MiB = 1024 ** 2;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('rds-connector lookups', () => {
  let f: ConnectorFixture;
  before(async () => {
    // One channel: every lookup beyond the first waits for it, and those waiting go together.
    f = await startFixture({ rds: { maxChannels: 1 } });
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
  });
  after(() => f?.dispose());

  it('creates a new volume in one round trip, and adopts an existing one on a repeat', async () => {
    const before = f.sim.commandLog.length;
    const created = await f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: MiB });
    assert.deepEqual(f.sim.commandLog.slice(before).length, 1, f.sim.commandLog.slice(before).join('\n'));
    const again = await f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: MiB });
    assert.deepEqual(again, created, 'a repeat answers the same volume (the add is refused, then looked up)');
    const other = await rejectionOf(() =>
      f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: 2 * MiB }),
    );
    assert.equal(other.code, 'ALREADY_EXISTS');
    assert.equal(f.sim.disks().filter((d) => d.slot === id(1)).length, 1, 'no second disk');
  });

  it('answers lookups that waited for a channel with one command: each gets its own disk or NOT_FOUND', async () => {
    for (const n of [10, 11, 12, 13, 14, 15]) {
      await f.client.request(endpoints.volumeCreate, { id: id(n), sizeBytes: MiB });
    }
    const before = f.sim.commandLog.length;
    f.sim.faults.setHang(true);
    const first = f.client.request(endpoints.volumeGet, { id: id(10) });
    await waitFor(() => f.sim.commandLog.length === before + 1, {
      message: 'the first lookup reached the RDS',
    });
    const waiting = [11, 12, 13, 14, 15, 99].map((n) =>
      f.client.request(endpoints.volumeGet, { id: id(n) }).then(
        (v) => v.id,
        (err: { code?: string }) => err.code,
      ),
    );
    // One connection's messages arrive in order: once this is answered, the lookups above were all received.
    await f.client.request(endpoints.connectionGet, {});
    f.sim.faults.setHang(false);
    assert.equal((await first).id, id(10));
    assert.deepEqual(await Promise.all(waiting), [id(11), id(12), id(13), id(14), id(15), 'NOT_FOUND']);
    const sent = f.sim.commandLog.slice(before);
    assert.equal(sent.length, 2, sent.join('\n'));
    assert.equal(
      sent[1],
      `/disk print detail where ${[11, 12, 13, 14, 15, 99].map((n) => `slot=${id(n)}`).join(' or ')}`,
    );
  });
});
