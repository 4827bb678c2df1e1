import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NO_HOST_NQN,
  admitsExactly,
  buildFence,
  formatAllowList,
  parseAllowList,
  parseDisks,
  revokesHosts,
  validateAllowHosts,
} from '../src/index.js';
import { FLAGS_HEADER, INJECTION_ATTEMPTS, VOLUME_ID, assertRdsError } from './fixtures.js';

const A = 'nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-4000-8000-000000000001';
const B = 'nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-4000-8000-000000000002';
const DISK = `/disk set [find slot=${VOLUME_ID}]`;
const PRINT = `/disk print detail where slot=${VOLUME_ID}`;

describe('storage fence builders', () => {
  it('restricts an export to its hosts, sorted, in one chained command with a print', () => {
    assert.equal(
      buildFence({ volumeId: VOLUME_ID, hosts: [B, A] }),
      `${DISK} nvme-tcp-server-allow-host-name="${A},${B}"; ${PRINT}`,
    );
  });

  it('re-exports after a revoking change, restating port and the volume NQN', () => {
    assert.equal(
      buildFence({ volumeId: VOLUME_ID, hosts: [A], reexportPort: 4420 }),
      [
        `${DISK} nvme-tcp-server-allow-host-name="${A}"`,
        `${DISK} nvme-tcp-export=no`,
        `${DISK} nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:${VOLUME_ID}`,
        PRINT,
      ].join('; '),
    );
  });

  it('writes the no-host sentinel for an empty list, never an empty value (RouterOS reads that as any host)', () => {
    assert.equal(formatAllowList([]), NO_HOST_NQN);
    assert.match(buildFence({ volumeId: VOLUME_ID, hosts: [] }), new RegExp(`="${NO_HOST_NQN}"`));
  });

  it('refuses more than two hosts, the sentinel, and anything that is not an NQN', () => {
    const C = 'nqn.2014-08.org.nvmexpress:uuid:cccccccc-0000-4000-8000-000000000003';
    assertRdsError(() => validateAllowHosts([A, B, C]), 'INVALID_ARGUMENT', /at most 2/);
    assertRdsError(() => validateAllowHosts([NO_HOST_NQN]), 'INVALID_ARGUMENT', /reserved/);
    for (const bad of [...INJECTION_ATTEMPTS, `${A},${B}`, '', 7]) {
      assertRdsError(() => buildFence({ volumeId: VOLUME_ID, hosts: [bad as string] }), 'INVALID_ARGUMENT');
    }
    for (const bad of INJECTION_ATTEMPTS) {
      assertRdsError(() => buildFence({ volumeId: bad as string, hosts: [A] }), 'INVALID_ARGUMENT');
    }
    assertRdsError(
      () => buildFence({ volumeId: VOLUME_ID, hosts: [A], reexportPort: 0 }),
      'INVALID_ARGUMENT',
    );
  });

  it('de-duplicates hosts', () => {
    assert.deepEqual(validateAllowHosts([A, A]), [A]);
  });
});

describe('storage fence state', () => {
  const table: { printed: string | undefined; list: string[] | undefined }[] = [
    { printed: undefined, list: undefined },
    { printed: '', list: undefined },
    { printed: NO_HOST_NQN, list: [] },
    { printed: A, list: [A] },
    { printed: `${B},${A}`, list: [A, B] },
    { printed: `${B}, ${A},`, list: [A, B] },
  ];
  for (const { printed, list } of table) {
    it(`parses ${JSON.stringify(printed)}`, () => assert.deepEqual(parseAllowList(printed), list));
  }

  const changes: { current: string[] | undefined; wanted: string[]; same: boolean; revokes: boolean }[] = [
    { current: undefined, wanted: [A], same: false, revokes: true },
    { current: undefined, wanted: [], same: false, revokes: true },
    { current: [], wanted: [A], same: false, revokes: false },
    { current: [A], wanted: [A], same: true, revokes: false },
    { current: [A], wanted: [A, B], same: false, revokes: false },
    { current: [A, B], wanted: [B], same: false, revokes: true },
    { current: [A], wanted: [B], same: false, revokes: true },
    { current: [A], wanted: [], same: false, revokes: true },
  ];
  for (const { current, wanted, same, revokes } of changes) {
    it(`${JSON.stringify(current)} -> ${JSON.stringify(wanted)}: same=${same} revokes=${revokes}`, () => {
      assert.equal(admitsExactly(current, wanted), same);
      assert.equal(revokesHosts(current, wanted), revokes);
    });
  }

  it('reads the allow-list of a printed disk (absent when empty: any host)', () => {
    const out = `${FLAGS_HEADER}
 0 B t slot="${VOLUME_ID}" type="file" file-path="/storage-pool/metal-csi/${VOLUME_ID}.img" file-size=1024.0MiB
       nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:${VOLUME_ID}"
       nvme-tcp-server-allow-host-name="${A}" size=1 073 741 824

 1 B t slot="pvc-other" type="file" file-path="/storage-pool/metal-csi/pvc-other.img" file-size=1024.0MiB
       nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:pvc-other"
       nvme-tcp-server-allow-host-name="" size=1 073 741 824
`;
    const [restricted, open] = parseDisks(out);
    assert.deepEqual(restricted?.nvmeTcpAllowHosts, [A]);
    assert.equal(open?.nvmeTcpAllowHosts, undefined);
  });
});
