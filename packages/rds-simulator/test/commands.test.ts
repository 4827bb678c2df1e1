import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BASE,
  GiB,
  VOLUME,
  createVolumeCommand,
  snapshotCommand,
  startHarness,
  type ExecResult,
  type Harness,
} from './helpers.js';

const SNAPSHOT = 'snap-7b1d2c3e-0f4a-5b6c-8d9e-0a1b2c3d4e5f-at-7b1d2c3e0f';
const HEADER = [
  'Flags: X - DISABLED; I - INACTIVE; B - BLOCK-DEVICE; M - MOUNTED; t - NVME-TCP-EXPORT; f - FORMATTING; r - RAID-MEMBER',
  'Columns: SLOT, TYPE',
];

const lines = (...text: string[]): string => text.map((line) => `${line}\n`).join('');

/** Print numbers of the entries in a listing, in order. */
function numbersOf(output: string): number[] {
  return [...output.matchAll(/^ *(\d+) /gm)].map((match) => Number(match[1]));
}

function assertSucceeded(result: ExecResult): void {
  assert.equal(result.code, 0, result.stdout);
  assert.doesNotMatch(result.stdout, /failure|no such item|error|bad command/, result.stdout);
}

describe('/disk print detail output', () => {
  it('is laid out like RouterOS: header, numbers, flags, wrapped pairs cut mid-value, human and exact sizes', async (t) => {
    const { exec } = await startHarness((fn) => t.after(fn), { poolSizeBytes: 100 * GiB });
    assertSucceeded(await exec(createVolumeCommand(VOLUME, '50G')));
    assertSucceeded(await exec(snapshotCommand(SNAPSHOT, VOLUME)));
    const drive = (n: number): string =>
      lines(
        ` ${n - 1} BM  slot="sata${n}" type="hardware" model="SAMSUNG MZ7LH3T8" serial="S456NY0M${n}"`,
        '       fw-version="HXT7404Q" size=35 791 394 134 interface="SATA 6.0 Gbps"',
        '',
      );
    const expected =
      lines(...HEADER) +
      [1, 2, 3, 4].map(drive).join('') +
      lines(
        ' 4 BM  slot="storage-pool" type="raid" raid-type="raid5" raid-device-count=4',
        '       raid-members=sata1,sata2,sata3,sata4 partition-size=107 374 182 400',
        '       size=107 374 182 400 mount-point="storage-pool" file-system=btrfs free=0',
        '',
        ' 5 B t slot="pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f" type="file" file-path="/',
        '       storage-pool/metal-csi/pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f.img"',
        '       file-size=50.0GiB file-offset=0 nvme-tcp-export=yes',
        '       nvme-tcp-server-port=4420 nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:',
        '       pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f"',
        '       nvme-tcp-server-allow-host-name="" size=53 687 091 200',
        '',
        ` 6 B   slot="${SNAPSHOT}"`,
        '       type="file" file-path="/storage-pool/metal-csi/snap-7b1d2c3e-0f4a-5b6c-8',
        '       d9e-0a1b2c3d4e5f-at-7b1d2c3e0f.img" file-size=50.0GiB file-offset=0',
        '       nvme-tcp-export=no size=53 687 091 200',
        '',
      );
    const result = await exec('/disk print detail');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, expected);
  });

  it('wraps at the configured column and can end lines with CRLF', async (t) => {
    const { exec } = await startHarness((fn) => t.after(fn), { wrapColumn: 60, lineEnding: '\r\n' });
    assertSucceeded(await exec(createVolumeCommand(VOLUME, '1G')));
    const result = await exec(`/disk print detail where slot=${VOLUME}`);
    const printed = result.stdout.split('\r\n');
    assert.ok(!result.stdout.replaceAll('\r\n', '').includes('\n'), 'every line ends with CRLF');
    for (const line of printed.slice(2)) assert.ok(line.length <= 60, line);
    assert.ok(
      printed.some((line) => line.length === 60),
      'a long value is cut at the column',
    );
    assert.match(result.stdout, /file-size=1024\.0MiB/);
    assert.match(result.stdout, /size=1 073 741 824/);
  });
});

describe('RouterOS commands over SSH', () => {
  let harness: Harness;
  let exec: Harness['exec'];
  const cleanups: (() => Promise<void> | void)[] = [];
  before(async () => {
    harness = await startHarness((fn) => cleanups.push(fn), { poolSizeBytes: 100 * GiB });
    exec = harness.exec;
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('creates a disk that print shows, and refuses a second disk in the same slot', async () => {
    assertSucceeded(await exec(createVolumeCommand('pvc-a', '10G')));
    const again = await exec(createVolumeCommand('pvc-a', '10G'));
    assert.deepEqual(again, { stdout: 'failure: slot already used\n', stderr: '', code: 0 });
    const printed = await exec('/disk print detail where slot=pvc-a');
    assert.match(
      printed.stdout,
      /slot="pvc-a" type="file" file-path="\/storage-pool\/metal-csi\/pvc-a\.img"/,
    );
    assert.match(printed.stdout, /nvme-tcp-server-nqn="nqn\.2000-02\.com\.mikrotik:pvc-a"/);
    assert.match(printed.stdout, /file-size=10\.0GiB/);
    assert.match(printed.stdout, /size=10 737 418 240/);
    assert.doesNotMatch(printed.stdout, /status=/);
    assert.deepEqual(
      harness.simulator
        .disks()
        .filter((disk) => disk.slot === 'pvc-a')
        .map((disk) => disk.sizeBytes),
      [10 * GiB],
    );
  });

  it('filters by slot, slot prefix and mount point, keeping the full-list numbers', async () => {
    assertSucceeded(await exec(createVolumeCommand('pvc-b', '1G')));
    assertSucceeded(await exec(snapshotCommand('snap-b', 'pvc-b')));
    const all = await exec('/disk print detail');
    assert.deepEqual(numbersOf(all.stdout), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(numbersOf((await exec('/disk print detail where slot=pvc-b')).stdout), [6]);
    const prefixed = await exec('/disk print detail where slot~"^pvc-"');
    assert.deepEqual(numbersOf(prefixed.stdout), [5, 6]);
    const pool = await exec('/disk print detail where mount-point="storage-pool"');
    assert.deepEqual(numbersOf(pool.stdout), [4]);
    assert.match(pool.stdout, /partition-size=107 374 182 400\n\s+size=107 374 182 400/);
    assert.match(pool.stdout, /free=\d[\d ]*\d\n/);
  });

  it('prints only the header when nothing matches', async () => {
    const result = await exec('/disk print detail where slot=pvc-none');
    assert.deepEqual(result, { stdout: lines(...HEADER), stderr: '', code: 0 });
  });

  it('removes disks silently (even missing ones) and keeps their files until /file remove', async () => {
    assertSucceeded(await exec(createVolumeCommand('pvc-c', '1G')));
    const path = 'storage-pool/metal-csi/pvc-c.img';
    const inUse = await exec(`/file remove "${path}"`);
    assert.deepEqual(inUse, { stdout: 'failure: file is in use\n', stderr: '', code: 0 });
    assert.deepEqual(await exec('/disk remove [find slot=pvc-c]'), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(await exec('/disk remove [find slot=pvc-c]'), { stdout: '', stderr: '', code: 0 });
    const file = await exec(`/file print detail where name="${path}"`);
    assert.match(
      file.stdout,
      /^ *\d+ name=storage-pool\/metal-csi\/pvc-c\.img type=\.img file size=1024\.0MiB\s+last-modified=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n\n$/,
    );
    assert.deepEqual(await exec(`/file remove "${path}"`), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(await exec(`/file print detail where name="${path}"`), {
      stdout: '',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await exec(`/file remove "${path}"`), { stdout: 'no such item\n', stderr: '', code: 0 });
    assert.deepEqual(await exec(`/file remove "/${path}"`), {
      stdout: 'no such item\n',
      stderr: '',
      code: 0,
    });
  });

  it('lists the pool, its directories and files in /file print detail', async () => {
    const result = await exec('/file print detail');
    assert.match(result.stdout, /^ 0 name=storage-pool type=disk last-modified=/);
    assert.match(result.stdout, /name=storage-pool\/metal-csi type=directory/);
    assert.match(result.stdout, /name=storage-pool\/metal-csi\/pvc-a\.img type=\.img file size=10\.0GiB/);
  });

  it('grows a disk, refuses to shrink it, and ignores a set that matches nothing', async () => {
    assertSucceeded(await exec('/disk set [find slot=pvc-a] file-size=12G'));
    assert.match((await exec('/disk print detail where slot=pvc-a')).stdout, /size=12 884 901 888/);
    const shrink = await exec('/disk set [find slot=pvc-a] file-size=11G');
    assert.deepEqual(shrink, { stdout: 'failure: can not shrink file\n', stderr: '', code: 0 });
    assert.deepEqual(await exec('/disk set [find slot=pvc-none] file-size=1G'), {
      stdout: '',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await exec('/disk set pvc-none file-size=1G'), {
      stdout: 'no such item\n',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await exec('/disk set sata1 file-size=1G'), {
      stdout: 'failure: can not change built-in disk\n',
      stderr: '',
      code: 0,
    });
  });

  it('answers /disk nvme-tcp print as configured', async () => {
    const refused = await exec('/disk nvme-tcp print detail');
    assert.deepEqual(refused, {
      stdout: 'bad command name nvme-tcp (line 1 column 7)\n',
      stderr: '',
      code: 1,
    });
    harness.simulator.setNvmeTcpPrint(true);
    try {
      assert.deepEqual(await exec('/disk nvme-tcp print detail'), { stdout: '', stderr: '', code: 0 });
    } finally {
      harness.simulator.setNvmeTcpPrint(false);
    }
  });

  it('refuses bad copies and paths outside the pool', async () => {
    const missing = await exec(snapshotCommand('snap-x', 'pvc-none'));
    assert.equal(missing.stdout, 'no such item\n');
    const hardware = await exec(snapshotCommand('snap-x', 'sata1'));
    assert.equal(hardware.stdout, 'invalid value for argument copy-from\n');
    const outside = await exec('/disk add type=file file-path=/tmp/x.img file-size=1G slot=x');
    assert.equal(outside.stdout, 'failure: invalid file path\n');
    const escape = await exec('/disk add type=file file-path=/storage-pool/../x.img file-size=1G slot=x');
    assert.equal(escape.stdout, 'failure: invalid file path\n');
    const noSize = await exec('/disk add type=file file-path=/storage-pool/metal-csi/x.img slot=x');
    assert.equal(noSize.stdout, 'failure: file-size not specified\n');
    assert.ok(!harness.simulator.disks().some((disk) => disk.slot.endsWith('x')));
  });

  it('gives a disk without slot the first free fileN name', async () => {
    assertSucceeded(await exec(`/disk add type=file file-path=${BASE}/unnamed.img file-size=1M`));
    assert.match(
      (await exec('/disk print detail where slot=file1')).stdout,
      /file-path="\/storage-pool\/metal-csi\/unnamed\.img"/,
    );
    assertSucceeded(await exec('/disk remove file1'));
  });

  it('reports parse errors as RouterOS does, with exit status 1', async () => {
    const cases: [string, string][] = [
      ['/disk frobnicate', 'bad command name frobnicate (line 1 column 7)'],
      ['/disk add type=file slot=x nosuch=1', 'expected end of command (line 1 column 28)'],
      ['/disk add type=file file-size=ten', 'invalid value for argument file-size'],
      ['/disk remove [find slot=x', 'syntax error (line 1 column 26)'],
    ];
    for (const [line, message] of cases) {
      assert.deepEqual(await exec(line), { stdout: `${message}\n`, stderr: '', code: 1 }, line);
    }
  });
});

describe('command chains and injection-looking input', () => {
  let harness: Harness;
  const cleanups: (() => Promise<void> | void)[] = [];
  before(async () => {
    harness = await startHarness((fn) => cleanups.push(fn), { poolSizeBytes: 100 * GiB });
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  const slots = (): string[] => harness.simulator.disks().map((disk) => disk.slot);

  it('runs ;-separated commands in order in one round trip', async () => {
    const result = await harness.exec(
      `${createVolumeCommand('pvc-1', '1G')}; /disk print detail where slot=pvc-1`,
    );
    assert.equal(result.code, 0);
    assert.match(result.stdout, /slot="pvc-1"/);
  });

  it('stops at the first failing command', async () => {
    const result = await harness.exec(
      `${createVolumeCommand('pvc-1', '1G')}; ${createVolumeCommand('pvc-2', '1G')}`,
    );
    assert.deepEqual(result, { stdout: 'failure: slot already used\n', stderr: '', code: 0 });
    assert.deepEqual(slots(), ['pvc-1']);
  });

  it('runs nothing when any command of the line does not parse', async () => {
    const result = await harness.exec('/disk remove [find slot=pvc-1]; /disk add slot=$evil');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^syntax error \(line 1 column 48\)\n$/);
    assert.deepEqual(slots(), ['pvc-1']);
    assert.equal(harness.simulator.commandLog.at(-1), '/disk remove [find slot=pvc-1]; /disk add slot=$evil');
  });

  it('keeps a quoted ; as data: one command that matches nothing', async () => {
    const result = await harness.exec('/disk remove [find slot="x; /disk remove [find]"]');
    assert.deepEqual(result, { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(slots(), ['pvc-1']);
  });

  it('refuses shell and scripting metacharacters instead of running anything', async () => {
    for (const slot of ['x$(reboot)', 'x`reboot`', 'x&&reboot', 'x|reboot', "x'y", 'x{y}', 'x>y']) {
      const result = await harness.exec(
        `/disk add type=file file-path=${BASE}/i.img file-size=1M slot=${slot}`,
      );
      assert.equal(result.code, 1, slot);
      assert.match(result.stdout, /^syntax error \(line 1 column \d+\)\n$/, slot);
    }
    assert.deepEqual(slots(), ['pvc-1']);
  });

  it('treats an unquoted ; as a separator, as RouterOS does (the driver must never send one)', async () => {
    const result = await harness.exec(
      '/disk print detail where slot=pvc-none; /disk remove [find slot=pvc-1]',
    );
    assert.equal(result.code, 0);
    assert.deepEqual(slots(), []);
  });
});
