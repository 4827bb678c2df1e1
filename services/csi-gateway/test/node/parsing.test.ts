import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RdsCsiError } from '@rds-csi/contracts';
import type { VolumeCapability } from '@rds-csi/csi-spec';
import { interpretBlkid } from '../../src/node/filesystem.js';
import { isReadOnlyMount, mountsAt, mountsOfDevice, parseMountInfo } from '../../src/node/mountinfo.js';
import { classifyConnectFailure, connectArgs } from '../../src/node/nvme.js';
import { stagingMountOptions } from '../../src/node/staging.js';
import { decodeDevT } from '../../src/node/sysfs.js';
import {
  parseNvmeTarget,
  parseVolumeAccess,
  requirePath,
  requireVolumeId,
  validateMountFlags,
} from '../../src/node/volume-request.js';

const PREFIX = 'nqn.2000-02.com.mikrotik:pvc-';
const NQN = 'nqn.2000-02.com.mikrotik:pvc-0b6a4f5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RdsCsiError, `expected an RdsCsiError, got ${String(err)}`);
    return err.code;
  }
  return 'OK';
}

describe('mountinfo', () => {
  const text = [
    '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
    '42 27 7:3 / /var/lib/kubelet/staging/pvc-1 rw,relatime shared:12 - ext4 /dev/loop3 rw',
    '43 27 7:3 / /var/lib/kubelet/pods/a/pvc\\0401 ro,relatime shared:12 - ext4 /dev/loop3 rw',
    '44 27 7:3 / /var/lib/kubelet/pods/a/pvc\\0401 rw,relatime - ext4 /dev/loop3 ro,errors=remount-ro',
    'garbage line',
  ].join('\n');

  it('parses fields, optional fields and octal escapes', () => {
    const entries = parseMountInfo(text);
    assert.equal(entries.length, 4);
    const bind = entries[2]!;
    assert.deepEqual(bind.device, { major: 7, minor: 3 });
    assert.equal(bind.mountPoint, '/var/lib/kubelet/pods/a/pvc 1');
    assert.equal(bind.fsType, 'ext4');
    assert.equal(bind.source, '/dev/loop3');
    assert.ok(isReadOnlyMount(bind));
    assert.deepEqual(entries[3]!.superOptions, ['ro', 'errors=remount-ro']);
  });

  it('finds stacked mounts at a path and mounts of a device', () => {
    const entries = parseMountInfo(text);
    assert.equal(mountsAt(entries, '/var/lib/kubelet/pods/a/pvc 1').length, 2);
    assert.equal(mountsAt(entries, '/var/lib/kubelet/pods/a/pvc 1').at(-1)!.mountId, 44);
    assert.equal(mountsOfDevice(entries, { major: 7, minor: 3 }).length, 3);
  });

  it('decodes dev_t numbers, including large minors', () => {
    assert.deepEqual(decodeDevT(BigInt((7 << 8) | 3)), { major: 7, minor: 3 });
    // major 259, minor 300: minor bits above 0xff live at bit 12 and up
    const rdev = (259n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n);
    assert.deepEqual(decodeDevT(rdev), { major: 259, minor: 300 });
  });
});

describe('blkid interpretation', () => {
  it('believes "nothing found" only as exit 2 with no output at all', () => {
    assert.deepEqual(interpretBlkid({ exitCode: 2, stdout: '', stderr: '' }), { kind: 'empty' });
    assert.equal(
      interpretBlkid({ exitCode: 2, stdout: '', stderr: 'blkid: error: /dev/x: Input/output error' }).kind,
      'ambiguous',
    );
    assert.equal(interpretBlkid({ exitCode: 2, stdout: 'TYPE=ext4', stderr: '' }).kind, 'ambiguous');
  });

  it('treats errors, kills and unknown exit codes as ambiguous', () => {
    assert.equal(interpretBlkid({ exitCode: 4, stdout: '', stderr: 'usage' }).kind, 'ambiguous');
    assert.equal(interpretBlkid({ exitCode: null, stdout: '', stderr: '' }).kind, 'ambiguous');
    assert.equal(interpretBlkid({ exitCode: 1, stdout: '', stderr: '' }).kind, 'ambiguous');
    assert.equal(interpretBlkid({ exitCode: 0, stdout: 'UUID=1234', stderr: '' }).kind, 'ambiguous');
  });

  it('recognises filesystems and data that is not a filesystem', () => {
    const ext4 = 'DEVNAME=/dev/loop1\nUUID=abc\nBLOCK_SIZE=1024\nTYPE=ext4\nUSAGE=filesystem\n';
    assert.deepEqual(interpretBlkid({ exitCode: 0, stdout: ext4, stderr: '' }), {
      kind: 'filesystem',
      type: 'ext4',
    });
    assert.equal(
      interpretBlkid({ exitCode: 0, stdout: 'TYPE=swap\nUSAGE=other', stderr: '' }).kind,
      'occupied',
    );
    assert.equal(
      interpretBlkid({ exitCode: 0, stdout: 'TYPE=crypto_LUKS\nUSAGE=crypto', stderr: '' }).kind,
      'occupied',
    );
    assert.equal(
      interpretBlkid({ exitCode: 0, stdout: 'PTUUID=x\nPTTYPE=gpt', stderr: '' }).kind,
      'occupied',
    );
    assert.equal(interpretBlkid({ exitCode: 8, stdout: '', stderr: '' }).kind, 'occupied');
  });
});

describe('nvme connect', () => {
  it('classifies nvme-cli failures', () => {
    assert.equal(
      classifyConnectFailure('Failed to write to /dev/nvme-fabrics: Connection refused'),
      'transient',
    );
    assert.equal(classifyConnectFailure('could not add new controller: Input/output error'), 'transient');
    assert.equal(
      classifyConnectFailure('Failed to write to /dev/nvme-fabrics: Connection timed out'),
      'transient',
    );
    assert.equal(classifyConnectFailure('already connected'), 'already-connected');
    assert.equal(
      classifyConnectFailure('Failed to open /dev/nvme-fabrics: No such file or directory'),
      'module-missing',
    );
    assert.equal(
      classifyConnectFailure('Failed to write to /dev/nvme-fabrics: Invalid argument'),
      'permanent',
    );
  });

  it('builds the argument array from the target, leaving out a default keep-alive', () => {
    const target = {
      nqn: NQN,
      address: '10.0.0.5',
      port: 4420,
      ctrlLossTmo: -1,
      reconnectDelay: 5,
      keepAliveTmo: 0,
    };
    assert.deepEqual(connectArgs(target), [
      'connect',
      '--transport=tcp',
      '--traddr=10.0.0.5',
      '--trsvcid=4420',
      `--nqn=${NQN}`,
      '--ctrl-loss-tmo=-1',
      '--reconnect-delay=5',
    ]);
    assert.ok(connectArgs({ ...target, keepAliveTmo: 30 }).includes('--keep-alive-tmo=30'));
  });
});

describe('volume request validation', () => {
  const context = { nvmeAddress: '10.0.0.5', nvmePort: '4420', nqn: NQN };

  it('parses the Go driver volume context with its defaults', () => {
    assert.deepEqual(parseNvmeTarget(context, {}, PREFIX), {
      nqn: NQN,
      address: '10.0.0.5',
      port: 4420,
      ctrlLossTmo: -1,
      reconnectDelay: 5,
      keepAliveTmo: 0,
    });
    const tuned = parseNvmeTarget(
      { ...context, ctrlLossTmo: '600', reconnectDelay: '2', keepAliveTmo: '15' },
      {},
      PREFIX,
    );
    assert.deepEqual([tuned.ctrlLossTmo, tuned.reconnectDelay, tuned.keepAliveTmo], [600, 2, 15]);
  });

  it('prefers the publish context for address and port, and refuses conflicting NQNs', () => {
    const target = parseNvmeTarget(
      context,
      { nvme_address: 'rds.storage.lan', nvme_port: '4421', nvme_nqn: NQN },
      PREFIX,
    );
    assert.equal(target.address, 'rds.storage.lan');
    assert.equal(target.port, 4421);
    assert.equal(
      codeOf(() => parseNvmeTarget(context, { nvme_nqn: `${NQN}x` }, PREFIX)),
      'INVALID_ARGUMENT',
    );
  });

  for (const [name, change] of [
    ['missing NQN', { nqn: '' }],
    ['foreign NQN', { nqn: 'nqn.2000-02.com.mikrotik:boot-disk' }],
    ['NQN with shell characters', { nqn: `${NQN};reboot` }],
    ['missing address', { nvmeAddress: '' }],
    ['address with spaces', { nvmeAddress: '10.0.0.5 -n x' }],
    ['address with bad characters', { nvmeAddress: 'rds_host!' }],
    ['non-numeric port', { nvmePort: 'http' }],
    ['port out of range', { nvmePort: '70000' }],
    ['non-numeric ctrlLossTmo', { ctrlLossTmo: 'forever' }],
    ['ctrlLossTmo below -1', { ctrlLossTmo: '-2' }],
    ['reconnectDelay 0', { reconnectDelay: '0' }],
    ['negative keepAliveTmo', { keepAliveTmo: '-5' }],
    ['fractional port', { nvmePort: '4420.5' }],
  ] as const) {
    it(`refuses a volume context with ${name}`, () => {
      assert.equal(
        codeOf(() => parseNvmeTarget({ ...context, ...change }, {}, PREFIX)),
        'INVALID_ARGUMENT',
      );
    });
  }

  it('accepts IPv6 addresses and host names', () => {
    assert.equal(parseNvmeTarget({ ...context, nvmeAddress: 'fd00::5' }, {}, PREFIX).address, 'fd00::5');
    assert.equal(
      parseNvmeTarget({ ...context, nvmeAddress: 'rds-1.example.com' }, {}, PREFIX).address,
      'rds-1.example.com',
    );
  });

  it('validates volume IDs and paths', () => {
    assert.equal(requireVolumeId('pvc-1234'), 'pvc-1234');
    assert.equal(
      codeOf(() => requireVolumeId('')),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => requireVolumeId('../etc')),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => requireVolumeId('PVC_1')),
      'INVALID_ARGUMENT',
    );
    assert.equal(requirePath('/var/lib/kubelet/x', 'p'), '/var/lib/kubelet/x');
    for (const bad of ['', 'relative/path', '/a/../b', '/a/', '/', '/a\0b', '/a//b']) {
      assert.equal(
        codeOf(() => requirePath(bad, 'p')),
        'INVALID_ARGUMENT',
        bad,
      );
    }
  });

  const mount = (fsType: string, mode = 'SINGLE_NODE_WRITER', flags: string[] = []) =>
    ({
      mount: { fs_type: fsType, mount_flags: flags, volume_mount_group: '' },
      access_type: 'mount',
      access_mode: { mode },
    }) as VolumeCapability;
  const block = (mode = 'SINGLE_NODE_WRITER') =>
    ({ block: {}, access_type: 'block', access_mode: { mode } }) as VolumeCapability;

  it('reads the filesystem from the capability, then the volume context, then the publish context', () => {
    const fsOf = (cap: VolumeCapability, vc = {}, pc = {}) => {
      const access = parseVolumeAccess(cap, vc, pc);
      return access.kind === 'mount' ? access.fsType : 'block';
    };
    assert.equal(fsOf(mount('xfs')), 'xfs');
    assert.equal(fsOf(mount(''), { 'csi.storage.k8s.io/fstype': 'ext3' }), 'ext3');
    assert.equal(fsOf(mount(''), {}, { fs_type: 'xfs' }), 'xfs');
    assert.equal(fsOf(mount('')), undefined);
    assert.equal(fsOf(block()), 'block');
    assert.equal(
      codeOf(() => parseVolumeAccess(mount('btrfs'), {}, {})),
      'INVALID_ARGUMENT',
    );
  });

  it('enforces the access-mode matrix and read-only modes', () => {
    assert.equal(
      codeOf(() => parseVolumeAccess(mount('ext4', 'MULTI_NODE_MULTI_WRITER'), {}, {})),
      'INVALID_ARGUMENT',
    );
    assert.equal(parseVolumeAccess(block('MULTI_NODE_MULTI_WRITER'), {}, {}).kind, 'block');
    assert.equal(parseVolumeAccess(mount('ext4', 'SINGLE_NODE_READER_ONLY'), {}, {}).readOnly, true);
    assert.equal(parseVolumeAccess(mount('ext4'), {}, {}, true).readOnly, true);
    assert.equal(
      codeOf(() => parseVolumeAccess(mount('ext4', 'UNKNOWN'), {}, {})),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => parseVolumeAccess(null, {}, {})),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => parseVolumeAccess({ access_mode: { mode: 'SINGLE_NODE_WRITER' } }, {}, {})),
      'INVALID_ARGUMENT',
    );
  });

  it('whitelists mount flags and never echoes a refused one', () => {
    assert.deepEqual(validateMountFlags(['noatime,nodiratime', 'data=ordered', 'discard']), [
      'noatime',
      'nodiratime',
      'data=ordered',
      'discard',
    ]);
    for (const bad of [
      'bind',
      'remount',
      'loop',
      'offset=1',
      'context=secret-label',
      'errors=panic',
      'data=bogus',
      'constructor=1',
      'x-mount.mkdir',
    ]) {
      let message = '';
      try {
        validateMountFlags(['noatime', bad]);
      } catch (err) {
        message = (err as Error).message;
      }
      assert.match(message, /mount flag #2 is not allowed/, bad);
      assert.ok(!message.includes(bad), 'the refused flag is not echoed');
    }
  });

  it('adds ro for read-only access and nouuid for xfs to the staging mount', () => {
    const access = parseVolumeAccess(mount('xfs', 'SINGLE_NODE_READER_ONLY', ['noatime']), {}, {});
    assert.ok(access.kind === 'mount');
    assert.deepEqual(stagingMountOptions('xfs', access), ['noatime', 'ro', 'nouuid']);
  });
});
