/** `rds.volume.fence` against the RouterOS simulator: the allow-list it applies, its round trips, its refusals. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints } from '@rds-csi/contracts';
import { NO_HOST_NQN } from '@rds-csi/routeros';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { startFixture, type ConnectorFixture } from './support.js';

const MiB = 1024 ** 2;
const id = (n: number) => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const host = (n: number) =>
  `nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('rds.volume.fence', () => {
  let f: ConnectorFixture;
  before(async () => {
    f = await startFixture();
    await waitFor(() => f.connector.connection.isConnected, { message: 'connector connected' });
  });
  after(() => f?.dispose());

  const fence = (volume: string, allowHostNqns: string[]) =>
    f.client.request(endpoints.volumeFence, { id: volume, allowHostNqns });
  const allowList = (volume: string) => f.sim.disks().find((d) => d.slot === volume)?.nvmeTcpAllowHostName;
  const nqn = (volume: string) => `nqn.2000-02.com.mikrotik:${volume}`;

  it('restricts an open (Go-driver era) export in one chained command, re-exporting to drop old connections', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(1), sizeBytes: 16 * MiB });
    assert.equal(allowList(id(1)), '', 'made open, as the Go driver left every volume');
    assert.ok(f.sim.nvmeConnect(nqn(id(1)), host(9)), 'any host connects to an open export');
    const stopped: string[] = [];
    const unsubscribe = f.sim.onExportStopped((n) => void stopped.push(n));
    const before = f.sim.commandLog.length;
    const applied = await fence(id(1), [host(1)]);
    unsubscribe();
    assert.deepEqual(applied, {
      id: id(1),
      allowHostNqns: [host(1)],
      open: false,
      changed: true,
      reexported: true,
    });
    const sent = f.sim.commandLog.slice(before);
    assert.equal(sent.length, 2, `one lookup and one chained change:\n${sent.join('\n')}`);
    assert.match(
      sent[1] ?? '',
      /allow-host-name=.*; .*nvme-tcp-export=no; .*nvme-tcp-export=yes .*; \/disk print/,
    );
    assert.deepEqual(stopped, [nqn(id(1))], 'live connections dropped');
    assert.equal(allowList(id(1)), host(1));
    assert.ok(f.sim.nvmeConnect(nqn(id(1)), host(1)));
    assert.equal(f.sim.nvmeConnect(nqn(id(1)), host(9)), undefined, 'any other host is refused');
  });

  it('a revocation leaves an open export open (keepOpen), and narrows a restricted one', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(2), sizeBytes: 16 * MiB });
    const left = await f.client.request(endpoints.volumeFence, {
      id: id(2),
      allowHostNqns: [],
      keepOpen: true,
    });
    assert.deepEqual(left, { id: id(2), allowHostNqns: [], open: true, changed: false, reexported: false });
    assert.equal(allowList(id(2)), '');
    await fence(id(2), [host(1)]);
    const narrowed = await f.client.request(endpoints.volumeFence, {
      id: id(2),
      allowHostNqns: [],
      keepOpen: true,
    });
    assert.deepEqual(narrowed, {
      id: id(2),
      allowHostNqns: [],
      open: false,
      changed: true,
      reexported: true,
    });
    assert.equal(allowList(id(2)), NO_HOST_NQN);
  });

  it('is idempotent: the same list costs one lookup and changes nothing', async () => {
    const before = f.sim.commandLog.length;
    assert.deepEqual(await fence(id(1), [host(1)]), {
      id: id(1),
      allowHostNqns: [host(1)],
      open: false,
      changed: false,
      reexported: false,
    });
    assert.equal(f.sim.commandLog.length - before, 1);
  });

  it('admits a second host without a re-export, and re-exports when one is revoked', async () => {
    assert.equal((await fence(id(1), [host(2), host(1)])).reexported, false, 'adding drops nobody');
    assert.equal(allowList(id(1)), `${host(1)},${host(2)}`);
    assert.equal((await fence(id(1), [host(2)])).reexported, true);
    assert.equal(f.sim.nvmeConnect(nqn(id(1)), host(1)), undefined, 'the revoked host is refused');
    assert.ok(f.sim.nvmeConnect(nqn(id(1)), host(2)));
  });

  it('an empty list admits no host (the sentinel, never the empty value that means any)', async () => {
    const applied = await fence(id(1), []);
    assert.deepEqual(applied.allowHostNqns, []);
    assert.equal(allowList(id(1)), NO_HOST_NQN);
    assert.equal(f.sim.nvmeConnect(nqn(id(1)), host(2)), undefined);
    assert.equal((await fence(id(1), [])).changed, false);
    assert.equal((await fence(id(1), [host(3)])).reexported, false, 'from no host, nobody to drop');
  });

  it('keepAdmitted adds hosts to those the export admits now, dropping nobody, and leaves an open export open', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(3), sizeBytes: 16 * MiB });
    const keep = (hosts: string[]) =>
      f.client.request(endpoints.volumeFence, { id: id(3), allowHostNqns: hosts, keepAdmitted: true });
    assert.equal((await keep([host(5)])).open, true, 'never restricted: stays open');
    assert.equal(allowList(id(3)), '');
    await fence(id(3), [host(4)]);
    const added = await keep([host(5)]);
    assert.deepEqual(added, {
      id: id(3),
      allowHostNqns: [host(4), host(5)],
      open: false,
      changed: true,
      reexported: false,
    });
    assert.ok(f.sim.nvmeConnect(nqn(id(3)), host(4)), 'the host already admitted keeps access');
    assert.ok(f.sim.nvmeConnect(nqn(id(3)), host(5)));
  });

  it('revokeHostNqns takes those hosts away beside keepAdmitted, keeping the others, and leaves an open export open', async () => {
    await f.client.request(endpoints.volumeCreate, { id: id(4), sizeBytes: 16 * MiB });
    const revoke = (revokeHostNqns: string[], allowHostNqns: string[] = []) =>
      f.client.request(endpoints.volumeFence, {
        id: id(4),
        allowHostNqns,
        keepOpen: true,
        keepAdmitted: true,
        revokeHostNqns,
      });
    assert.equal((await revoke([host(6)])).open, true, 'never restricted: any host, so nothing to take away');
    assert.equal(allowList(id(4)), '');
    await fence(id(4), [host(6), host(7)]);
    assert.ok(f.sim.nvmeConnect(nqn(id(4)), host(6)));
    const stopped: string[] = [];
    const unsubscribe = f.sim.onExportStopped((n) => void stopped.push(n));
    const revoked = await revoke([host(6), host(8)]);
    unsubscribe();
    assert.deepEqual(revoked, {
      id: id(4),
      allowHostNqns: [host(7)],
      open: false,
      changed: true,
      reexported: true,
    });
    assert.deepEqual(stopped, [nqn(id(4))], 'the revoked host’s live connection dropped');
    assert.equal(f.sim.nvmeConnect(nqn(id(4)), host(6)), undefined, 'the revoked host is refused');
    assert.ok(f.sim.nvmeConnect(nqn(id(4)), host(7)), 'the host kept (an unnamed node’s) still connects');
    assert.equal((await revoke([host(6)])).changed, false, 'revoking an absent host changes nothing');
    const readmitted = await revoke([host(7)], [host(6)]);
    assert.deepEqual(readmitted.allowHostNqns, [host(6)], 'admitting and revoking in one list change');
  });

  it('refuses bad input before the RDS, and volumes that do not exist or are not the driver’s', async () => {
    const before = f.sim.commandLog.length;
    const three = await rejectionOf(() => fence(id(1), [host(1), host(2), host(3)]));
    assert.equal(three.code, 'INVALID_ARGUMENT');
    const injected = await rejectionOf(() => fence(id(1), [`${host(1)}; /system reboot`]));
    assert.equal(injected.code, 'INVALID_ARGUMENT');
    const both = await rejectionOf(() =>
      f.client.request(endpoints.volumeFence, {
        id: id(1),
        allowHostNqns: [host(1)],
        keepAdmitted: true,
        revokeHostNqns: [host(1)],
      }),
    );
    assert.equal(both.code, 'INVALID_ARGUMENT', 'a host both admitted and revoked');
    const exact = await rejectionOf(() =>
      f.client.request(endpoints.volumeFence, { id: id(1), allowHostNqns: [], revokeHostNqns: [host(1)] }),
    );
    assert.equal(exact.code, 'INVALID_ARGUMENT', 'revoking by name without keepAdmitted');
    assert.equal(f.sim.commandLog.length, before, 'nothing reached the RDS');
    assert.equal((await rejectionOf(() => fence(id(77), [host(1)]))).code, 'NOT_FOUND');
  });
});
