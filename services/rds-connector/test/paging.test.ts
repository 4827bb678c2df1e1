import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allPages } from '@rds-csi/bus';
import { seedExportedDisks } from '@rds-csi/rds-simulator';
import { endpoints } from '@rds-csi/contracts';
import { waitFor } from '@rds-csi/testkit';
import { BASE, startFixture, type ConnectorFixture } from './support.js';

const VOLUMES = 10_000;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Seeds the simulator with `count` volumes (no backing files: listing never reads them) and reboots it. */
async function seedVolumes(f: ConnectorFixture, count: number): Promise<void> {
  await seedExportedDisks(
    f.simDataDir,
    BASE.slice(1),
    Array.from({ length: count }, (_, i) => id(i)),
  );
  await f.sim.restart();
}

describe('rds-connector lists of any size', () => {
  let f: ConnectorFixture;
  before(async () => {
    // Printing 10,000 disks takes the simulator (in this process, like the connector) seconds on a loaded machine,
    // stalling the health check's timer too: give commands, requests and the health check room.
    f = await startFixture({ rds: { commandTimeoutMs: 120_000, healthCheckTimeoutMs: 60_000 } });
    await seedVolumes(f, VOLUMES);
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
  });
  after(() => f?.dispose());

  const slow = () => ({ deadline: Date.now() + 120_000 });

  it('pages 10,000 volumes under max_payload: complete, ascending, no duplicates, and the connector stays up', async () => {
    let pages = 0;
    const listed = await allPages(
      (page) => {
        pages++;
        return f.client.request(endpoints.volumeList, page, slow());
      },
      (page) => page.volumes.map((v) => v.id),
    );
    assert.equal(listed.length, VOLUMES);
    assert.deepEqual(
      listed,
      Array.from({ length: VOLUMES }, (_, i) => id(i)),
    );
    assert.ok(pages > 1, `a 10k list needs several pages under 1 MiB, got ${pages}`);
    assert.ok((await f.client.request(endpoints.volumeGet, { id: id(42) }, slow())).exported);
  });

  it('honours limit and resumes after the cursor even when that entry is deleted meanwhile', async () => {
    const first = await f.client.request(endpoints.volumeList, { limit: 3 }, slow());
    assert.deepEqual(
      first.volumes.map((v) => v.id),
      [id(0), id(1), id(2)],
    );
    assert.equal(first.nextCursor, id(2));
    await f.client.request(endpoints.volumeDelete, { id: id(2) }, slow());
    const next = await f.client.request(endpoints.volumeList, { cursor: first.nextCursor, limit: 2 }, slow());
    assert.deepEqual(
      next.volumes.map((v) => v.id),
      [id(3), id(4)],
    );
  });
});
