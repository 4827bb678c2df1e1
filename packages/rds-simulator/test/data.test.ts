import assert from 'node:assert/strict';
import { access, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RdsSimulator } from '../src/index.js';
import {
  BASE,
  MiB,
  VOLUME,
  connectClient,
  createVolumeCommand,
  execCommand,
  snapshotCommand,
  startHarness,
} from './helpers.js';

async function writeAt(path: string, offset: number, text: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(Buffer.from(text), 0, text.length, offset);
  } finally {
    await handle.close();
  }
}

async function readAt(path: string, offset: number, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer.toString();
  } finally {
    await handle.close();
  }
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe('backing files', () => {
  it('creates a sparse file of the disk size under the data directory', async (t) => {
    const { simulator, exec, dataDir } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '64M'));
    const path = simulator.backingFileOf(VOLUME);
    assert.equal(path, join(dataDir, 'fs', 'storage-pool', 'metal-csi', `${VOLUME}.img`));
    const info = await stat(path);
    assert.equal(info.size, 64 * MiB);
    assert.ok(info.blocks * 512 < MiB, 'sparse: no data blocks allocated');
    assert.equal(simulator.backingFileOfPath(`/storage-pool/metal-csi/${VOLUME}.img`), path);
    assert.throws(() => simulator.backingFileOf('pvc-none'), /no file disk/);
  });

  it('copies the data for copy-from, and the copy is independent of its source', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '64M'));
    const source = simulator.backingFileOf(VOLUME);
    await writeAt(source, 0, 'first block');
    await writeAt(source, 40 * MiB, 'far away');
    assert.equal((await exec(snapshotCommand('snap-1', VOLUME))).stdout, '');
    const copy = simulator.backingFileOf('snap-1');
    assert.equal((await stat(copy)).size, 64 * MiB);
    assert.equal(await readAt(copy, 0, 11), 'first block');
    assert.equal(await readAt(copy, 40 * MiB, 8), 'far away');
    await writeAt(source, 0, 'CHANGED');
    assert.equal(await readAt(copy, 0, 11), 'first block');

    // Restore: a new exported volume from the snapshot, then grown like the driver does for a larger request.
    const restore = `${snapshotCommand('pvc-restored', 'snap-1')} nvme-tcp-export=yes`;
    assert.equal((await exec(restore)).stdout, '');
    assert.equal((await exec('/disk set [find slot=pvc-restored] file-size=128M')).stdout, '');
    const restored = simulator.backingFileOf('pvc-restored');
    assert.equal((await stat(restored)).size, 128 * MiB);
    assert.equal(await readAt(restored, 40 * MiB, 8), 'far away');
  });

  it('keeps the file when the disk is removed and deletes it on /file remove', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn));
    await exec(createVolumeCommand(VOLUME, '8M'));
    const path = simulator.backingFileOf(VOLUME);
    await writeAt(path, 0, 'keep me');
    await exec(`/disk remove [find slot=${VOLUME}]`);
    assert.equal(await readAt(path, 0, 7), 'keep me');
    // Creating a new file over it fails, as on RouterOS; adding a disk without file-size attaches it with its data.
    assert.equal((await exec(createVolumeCommand(VOLUME, '8M'))).stdout, 'failure: file already exists\n');
    await exec(`/disk add type=file file-path=${BASE}/${VOLUME}.img slot=${VOLUME}`);
    assert.equal(await readAt(simulator.backingFileOf(VOLUME), 0, 7), 'keep me');
    await exec(`/disk remove [find slot=${VOLUME}]; /file remove "storage-pool/metal-csi/${VOLUME}.img"`);
    assert.equal(await exists(path), false);
    assert.deepEqual(simulator.files(), []);
  });
});

describe('state across restarts', () => {
  it('keeps disks, files, data, port and host key over restart(), and in a new simulator on the same directory', async (t) => {
    const { simulator, exec, dataDir, key } = await startHarness((fn) => t.after(fn));
    await exec(`${createVolumeCommand(VOLUME, '8M')}; ${snapshotCommand('snap-1', VOLUME)}`);
    await writeAt(simulator.backingFileOf(VOLUME), 0, 'persisted');
    await exec(`/disk remove [find slot=snap-1]`);
    const before = { disks: simulator.disks(), files: simulator.files(), port: simulator.port };
    const fingerprint = simulator.hostKeyFingerprint;

    await simulator.restart();
    assert.deepEqual({ disks: simulator.disks(), files: simulator.files(), port: simulator.port }, before);
    const client = await connectClient(simulator, key.privateKey);
    t.after(() => client.destroy());
    assert.match((await execCommand(client, `/disk print detail where slot=${VOLUME}`)).stdout, /slot="pvc-/);

    await simulator.stop();
    const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { version: number };
    assert.equal(state.version, 1);
    const reborn = await RdsSimulator.start({ dataDir, authorizedKeys: [key.publicKey] });
    t.after(() => reborn.stop());
    assert.equal(reborn.hostKeyFingerprint, fingerprint);
    assert.deepEqual(reborn.disks(), before.disks);
    assert.deepEqual(reborn.files(), before.files);
    assert.equal(await readAt(reborn.backingFileOf(VOLUME), 0, 9), 'persisted');
  });
});
