import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_BASE_PATH,
  mountPointOf,
  nqnFor,
  resolveVolumeDir,
  routerOsFileName,
  validateBasePath,
  validateImageFile,
  validateNqn,
  validateNqnPrefix,
  validatePort,
  validateSlotPrefix,
  validateSnapshotId,
  validateVolumeId,
  volumeFilePath,
} from '../src/index.js';
import { BASE, INJECTION_ATTEMPTS, SNAPSHOT_ID, VOLUME_ID, assertRdsError } from './fixtures.js';

describe('volume and snapshot IDs', () => {
  it('accepts PV names and any lowercase DNS label up to 63 characters', () => {
    for (const id of [VOLUME_ID, 'a', '0', 'vol-1', 'a'.repeat(63), SNAPSHOT_ID])
      assert.equal(validateVolumeId(id), id);
  });

  it('rejects everything else with INVALID_ARGUMENT', () => {
    for (const id of [...INJECTION_ATTEMPTS, 'pvc_x', 'pvc.x', 'pvc-x.img', 'pvc-x\n']) {
      assertRdsError(() => validateVolumeId(id), 'INVALID_ARGUMENT', /volume ID/);
    }
  });

  it('shows the rejected value escaped and bounded in the message', () => {
    assertRdsError(
      () => validateVolumeId('pvc-x\n/system reboot'),
      'INVALID_ARGUMENT',
      /"pvc-x\\n\/system reboot"/,
    );
    assertRdsError(() => validateVolumeId('x'.repeat(10_000)), 'INVALID_ARGUMENT', /^.{0,400}$/);
  });

  it('accepts only snap-<uuid>-at-<10 hex> snapshot IDs', () => {
    assert.equal(validateSnapshotId(SNAPSHOT_ID), SNAPSHOT_ID);
    const bad = [
      VOLUME_ID,
      `${SNAPSHOT_ID}0`,
      SNAPSHOT_ID.toUpperCase(),
      SNAPSHOT_ID.replace('-at-', '-xx-'),
      `${SNAPSHOT_ID};x`,
    ];
    for (const id of [...bad, ...INJECTION_ATTEMPTS])
      assertRdsError(() => validateSnapshotId(id), 'INVALID_ARGUMENT');
  });

  it('accepts slot prefixes for listings', () => {
    for (const prefix of ['pvc-', 'snap-', 'p']) assert.equal(validateSlotPrefix(prefix), prefix);
    for (const prefix of ['', '-', '^pvc', 'pvc.*', 'pvc"', ...INJECTION_ATTEMPTS.slice(0, 12)]) {
      assertRdsError(() => validateSlotPrefix(prefix), 'INVALID_ARGUMENT');
    }
  });
});

describe('ports', () => {
  it('accepts integers 1-65535', () => {
    for (const port of [1, 4420, 65535]) assert.equal(validatePort(port), port);
  });

  it('rejects the rest', () => {
    for (const port of [
      0,
      -1,
      65536,
      4420.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '4420',
      null,
      undefined,
    ]) {
      assertRdsError(() => validatePort(port), 'INVALID_ARGUMENT', /port/);
    }
  });
});

describe('NQNs', () => {
  it('builds nqn.2000-02.com.mikrotik:<volume-id>', () => {
    assert.equal(nqnFor(VOLUME_ID), `nqn.2000-02.com.mikrotik:${VOLUME_ID}`);
    assertRdsError(() => nqnFor('pvc-x; /system reboot'), 'INVALID_ARGUMENT');
  });

  it('accepts NVMe qualified names (volume and host NQNs) and nothing that could escape a RouterOS value', () => {
    const good = [
      nqnFor(VOLUME_ID),
      'nqn.2014-08.org.nvmexpress:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      'nqn.2004-10.com.example.host',
    ];
    for (const nqn of good) assert.equal(validateNqn(nqn), nqn);
    const nqn = nqnFor(VOLUME_ID);
    const bad = [
      'nqn.2000-02.com.mikrotik:',
      'nqn.14-08.org.nvmexpress:uuid:x',
      `${nqn}; /system reboot`,
      `${nqn},nqn.2014-08.org.nvmexpress:uuid:x`,
      `${nqn}"`,
      ` ${nqn}`,
      `${nqn}$x`,
      `nqn.2000-02.com.mikrotik:${'a'.repeat(224)}`,
      ...INJECTION_ATTEMPTS,
      42,
    ];
    for (const value of bad) assertRdsError(() => validateNqn(value), 'INVALID_ARGUMENT', /NQN/);
  });

  it('accepts managed NQN prefixes only inside the driver namespace and never empty after the colon', () => {
    assert.equal(validateNqnPrefix('nqn.2000-02.com.mikrotik:pvc-'), 'nqn.2000-02.com.mikrotik:pvc-');
    const bad = [
      'nqn.2000-02.com.mikrotik:',
      'nqn.2000-02.com.mikrotik',
      'nqn.2014-08.org.example:pvc-',
      'nqn.2000-02.com.mikrotik:pvc-;x',
      '',
    ];
    for (const value of bad) assertRdsError(() => validateNqnPrefix(value), 'INVALID_ARGUMENT', /NQN prefix/);
  });
});

describe('resolveVolumeDir', () => {
  const accepted: Array<[string, string | undefined, string]> = [
    [BASE, undefined, BASE],
    [BASE, '', BASE],
    [BASE, BASE, BASE],
    [BASE, `${BASE}/`, BASE],
    [`${BASE}/`, undefined, BASE],
    [BASE, `${BASE}/fast`, `${BASE}/fast`],
    [BASE, `${BASE}/a/b.c/d_e/F-9`, `${BASE}/a/b.c/d_e/F-9`],
    ['/storage-pool', '/storage-pool/metal-csi', '/storage-pool/metal-csi'],
    ['/nvme1', '/nvme1/k8s', '/nvme1/k8s'],
  ];
  for (const [base, requested, expected] of accepted) {
    it(`resolves ${String(requested)} under ${base} to ${expected}`, () => {
      assert.equal(resolveVolumeDir(base, requested), expected);
    });
  }

  const outside: Array<[string, string]> = [
    ['sibling with the base as a string prefix', '/storage-pool/metal-csi2'],
    ['sibling sharing a prefix with a dash', '/storage-pool/metal-csi-other/x'],
    ['parent of the base', '/storage-pool'],
    ['another pool', '/other-pool/metal-csi'],
  ];
  for (const [name, requested] of outside) {
    it(`rejects a ${name} (${requested})`, () => {
      assertRdsError(
        () => resolveVolumeDir(BASE, requested),
        'INVALID_ARGUMENT',
        /must lie under the base path/,
      );
    });
  }

  const malformedPaths = [
    `${BASE}/../x`,
    `${BASE}/..`,
    `${BASE}/./x`,
    `${BASE}/.`,
    `${BASE}/...`,
    `${BASE}//x`,
    `${BASE}//`,
    'storage-pool/metal-csi',
    './storage-pool',
    `${BASE}/a b`,
    `${BASE}/a"b`,
    `${BASE}/a'b`,
    `${BASE}/a;b`,
    `${BASE}; /system reboot`,
    `${BASE}/[find]`,
    `${BASE}/$(x)`,
    `${BASE}/$x`,
    `${BASE}\\x`,
    `${BASE}/a\nb`,
    `${BASE}/ä`,
    `${BASE}/a\u0000`,
    `${BASE}/${'a'.repeat(300)}`,
    '/',
    '//',
  ];
  for (const requested of malformedPaths) {
    it(`rejects malformed volume path ${JSON.stringify(requested.slice(0, 60))}`, () => {
      assertRdsError(() => resolveVolumeDir(BASE, requested), 'INVALID_ARGUMENT', /volume path/);
    });
  }

  it('validates the base path itself', () => {
    for (const base of ['', '/', 'relative', '/a/../b', '/a b', 42]) {
      assertRdsError(() => resolveVolumeDir(base as string, undefined), 'INVALID_ARGUMENT', /base path/);
    }
    assert.equal(validateBasePath(DEFAULT_BASE_PATH), '/storage-pool/metal-csi');
  });
});

describe('file paths and names', () => {
  it('places a volume file at <dir>/<id>.img', () => {
    assert.equal(volumeFilePath(BASE, VOLUME_ID), `${BASE}/${VOLUME_ID}.img`);
    assertRdsError(() => volumeFilePath(BASE, '../x'), 'INVALID_ARGUMENT', /disk slot/);
    assertRdsError(() => volumeFilePath('/a/../b', VOLUME_ID), 'INVALID_ARGUMENT', /volume directory/);
  });

  it('strips the leading slash for /file names', () => {
    assert.equal(routerOsFileName(`${BASE}/${VOLUME_ID}.img`), `storage-pool/metal-csi/${VOLUME_ID}.img`);
    assertRdsError(() => routerOsFileName('storage-pool/x.img'), 'INVALID_ARGUMENT', /absolute/);
  });

  it('takes the mount point from the first component', () => {
    assert.equal(mountPointOf(BASE), 'storage-pool');
    assert.equal(mountPointOf('/nvme1'), 'nvme1');
    assertRdsError(() => mountPointOf('/'), 'INVALID_ARGUMENT');
  });

  it('accepts only <slot>.img image files under the base path', () => {
    const file = `${BASE}/${VOLUME_ID}.img`;
    assert.equal(validateImageFile(file, BASE), file);
    assert.equal(validateImageFile(file, BASE, VOLUME_ID), file);
    assert.equal(
      validateImageFile(`${BASE}/deep/${SNAPSHOT_ID}.img`, BASE, SNAPSHOT_ID),
      `${BASE}/deep/${SNAPSHOT_ID}.img`,
    );
    const rejected: Array<[unknown, string | undefined, RegExp]> = [
      [`${BASE}/${VOLUME_ID}.img`, 'pvc-other', /not the backing file of slot/],
      [`${BASE}/${VOLUME_ID}.raw`, undefined, /must end with \.img/],
      [`${BASE}/.img`, undefined, /disk slot/],
      [`${BASE}/x.img.img`, undefined, /disk slot/],
      [`/storage-pool/${VOLUME_ID}.img`, undefined, /under the base path/],
      [`/storage-pool/metal-csi2/${VOLUME_ID}.img`, undefined, /under the base path/],
      [`${BASE}/../${VOLUME_ID}.img`, undefined, /\. or \.\./],
      [`${BASE}/${VOLUME_ID}.img"; /system reboot`, undefined, /characters/],
      [BASE, undefined, /under the base path|must end/],
      [undefined, undefined, /must be a string/],
    ];
    for (const [path, slot, message] of rejected) {
      assertRdsError(() => validateImageFile(path, BASE, slot), 'INVALID_ARGUMENT', message);
    }
  });
});
