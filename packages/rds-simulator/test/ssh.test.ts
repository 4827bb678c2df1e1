import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { RdsSimulator, ensureHostKey, generateKeyPair, type RdsSimulatorOptions } from '../src/index.js';
import { closed, connectClient, execCommand, startHarness, temporaryDirectory } from './helpers.js';

describe('SSH server', () => {
  it('runs exec requests for an authorized key and pins its host key by fingerprint', async (t) => {
    const { simulator, exec } = await startHarness((fn) => t.after(fn));
    assert.match(simulator.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.match(simulator.hostKeyLine, /^ssh-ed25519 [A-Za-z0-9+/]+=*$/);
    assert.equal(simulator.knownHostsLine, `[127.0.0.1]:${simulator.port} ${simulator.hostKeyLine}`);
    const result = await exec('/disk print detail where slot=sata1');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /slot="sata1"/);
    assert.equal(result.stderr, '');
  });

  it('refuses an unknown key, and passwords unless enabled', async (t) => {
    const { simulator } = await startHarness((fn) => t.after(fn));
    const stranger = generateKeyPair();
    await assert.rejects(connectClient(simulator, stranger.privateKey), /authentication methods failed/);
    await assert.rejects(connectClient(simulator, '', 'secret'), /authentication methods failed/);
    assert.deepEqual(simulator.commandLog, []);
  });

  it('accepts the right password when password authentication is enabled', async (t) => {
    const { simulator } = await startHarness((fn) => t.after(fn), { password: 'right' });
    await assert.rejects(connectClient(simulator, '', 'wrong'), /authentication methods failed/);
    const client = await connectClient(simulator, '', 'right');
    t.after(() => client.destroy());
    assert.equal((await execCommand(client, '/disk print detail where slot=sata1')).code, 0);
  });

  it('refuses users other than the configured one', async (t) => {
    const { simulator, key } = await startHarness((fn) => t.after(fn), { username: 'rds-csi' });
    await assert.rejects(connectClient(simulator, key.privateKey), /authentication methods failed/);
  });

  it('refuses a client that pins another host key', async (t) => {
    const { simulator, key } = await startHarness((fn) => t.after(fn));
    const client = new ssh2.Client();
    const errors: Error[] = [];
    client.on('error', (err) => errors.push(err));
    let ready = false;
    client.once('ready', () => (ready = true));
    const gone = closed(client);
    client.connect({
      host: simulator.host,
      port: simulator.port,
      username: 'admin',
      privateKey: key.privateKey,
      hostVerifier: () => false,
    });
    await gone;
    assert.equal(ready, false);
    assert.ok(
      errors.some((err) => /verification failed/i.test(err.message)),
      errors.map((e) => e.message).join(),
    );
  });

  it('refuses a shell: it only runs exec requests', async (t) => {
    const { connect } = await startHarness((fn) => t.after(fn));
    const client = await connect();
    await assert.rejects(
      new Promise((resolve, reject) =>
        client.shell(false, (err, stream) => (err ? reject(err) : resolve(stream))),
      ),
      /Unable to open shell/,
    );
  });

  it('counts open connections and exec channels', async (t) => {
    const { simulator, connect } = await startHarness((fn) => t.after(fn));
    assert.equal(simulator.openConnections, 0);
    const client = await connect();
    assert.equal(simulator.openConnections, 1);
    await execCommand(client, '/disk print detail');
    client.end();
    await closed(client);
    // The server notices the close a moment later.
    for (let attempt = 0; simulator.openConnections > 0 && attempt < 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(simulator.openConnections, 0);
    assert.equal(simulator.openChannels, 0);
  });
});

describe('host key', () => {
  it('is generated once (mode 0600) and reused, so the fingerprint survives a new simulator', async (t) => {
    const dir = await temporaryDirectory((fn) => t.after(fn));
    const path = join(dir, 'keys', 'host');
    const first = await ensureHostKey(path);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await ensureHostKey(path), first);

    const { publicKey } = generateKeyPair();
    const options = { dataDir: join(dir, 'data'), hostKeyPath: path, authorizedKeys: [publicKey] };
    const one = await RdsSimulator.start(options);
    const fingerprint = one.hostKeyFingerprint;
    await one.stop();
    const two = await RdsSimulator.start(options);
    t.after(() => two.stop());
    assert.equal(two.hostKeyFingerprint, fingerprint);
    assert.equal(await readFile(path, 'utf8'), first);
  });

  it('refuses options it cannot work with', async (t) => {
    const dataDir = await temporaryDirectory((fn) => t.after(fn));
    const { publicKey } = generateKeyPair();
    // A simulator that starts by mistake is stopped at once, so a failing case cannot keep the test alive.
    const start = async (options: Partial<RdsSimulatorOptions>): Promise<void> => {
      const simulator = await RdsSimulator.start({ dataDir, authorizedKeys: [publicKey], ...options });
      await simulator.stop();
      throw new Error('started');
    };
    await assert.rejects(start({ authorizedKeys: [] }), /no way to log in/);
    await assert.rejects(start({ authorizedKeys: ['ssh-ed25519 garbage'] }), /invalid SSH key/);
    await assert.rejects(start({ basePath: '/storage-pool/../etc' }), /bad basePath/);
    await assert.rejects(start({ basePath: 'storage-pool' }), /bad basePath/);
    await assert.rejects(start({ wrapColumn: 10 }), /wrapColumn/);
    await assert.rejects(start({ poolSizeBytes: -1 }), /poolSizeBytes/);
    await assert.rejects(start({ port: 70000 }), /bad port/);
  });
});

describe('generateKeyPair', () => {
  it('only returns pairs that parse (ssh2 alone sometimes generates broken ed25519 keys)', () => {
    for (let i = 0; i < 600; i += 1) {
      const { privateKey, publicKey } = generateKeyPair();
      assert.ok(!(ssh2.utils.parseKey(privateKey) instanceof Error), privateKey);
      assert.ok(!(ssh2.utils.parseKey(publicKey) instanceof Error), publicKey);
    }
    assert.match(generateKeyPair('rsa', 'x').publicKey, /^ssh-rsa \S+ x$/);
  });
});
