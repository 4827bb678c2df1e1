import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import type { Client } from 'ssh2';
import { argumentsToEnv, parseControlLine, processConfigFromEnv } from '../src/process-config.js';
import { fingerprintOf, generateKeyPair } from '../src/index.js';
import { GiB, createVolumeCommand, execCommand, temporaryDirectory } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function connect(port: number, fingerprint: string, privateKey: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.once('ready', () => resolve(client));
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'admin',
      privateKey,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === fingerprint,
    });
  });
}

describe('simulator process', () => {
  it('starts from env and args, prints one JSON line, obeys control lines and stops on SIGTERM', async (t) => {
    const dir = await temporaryDirectory((fn) => t.after(fn));
    const key = generateKeyPair();
    const keysFile = join(dir, 'authorized_keys');
    await writeFile(keysFile, `# test key\n${key.publicKey}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/rds-simulator.ts', '--pool-size=2G'], {
      cwd: packageDir,
      env: {
        ...process.env,
        RDS_SIM_DATA_DIR: join(dir, 'data'),
        RDS_SIM_AUTHORIZED_KEYS_FILE: keysFile,
        RDS_SIM_POOL_SIZE: '1T',
        RDS_SIM_FAIL_NEXT: '1',
        RDS_SIM_FAIL_MESSAGE: 'failure: from env',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const stdout = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const nextLine = async (): Promise<Record<string, unknown>> => {
      const { value, done } = await stdout.next();
      assert.ok(!done, 'the process printed a line');
      return JSON.parse(String(value)) as Record<string, unknown>;
    };

    const ready = await nextLine();
    assert.equal(typeof ready.port, 'number');
    assert.match(String(ready.fingerprint), /^SHA256:/);
    assert.match(String(ready.hostKey), /^ssh-ed25519 /);
    const client = await connect(Number(ready.port), String(ready.fingerprint), key.privateKey);
    t.after(() => client.destroy());

    assert.deepEqual(await execCommand(client, '/disk print detail'), {
      stdout: 'failure: from env\n',
      stderr: '',
      code: 0,
    });
    const pool = await execCommand(client, '/disk print detail where mount-point="storage-pool"');
    assert.match(pool.stdout, /size=2 147 483 648/, 'the argument overrides the environment');

    child.stdin.write('{"action":"failNext","count":1,"message":"failure: from control","exitCode":1}\n');
    assert.deepEqual(await nextLine(), { ok: true });
    assert.deepEqual(await execCommand(client, createVolumeCommand('pvc-1', '1M')), {
      stdout: 'failure: from control\n',
      stderr: '',
      code: 1,
    });
    child.stdin.write('{"action":"explode"}\n');
    const refused = await nextLine();
    assert.equal(refused.ok, false);
    assert.match(String(refused.error), /invalid control line/);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  it('refuses a configuration without data directory or with bad values', async (t) => {
    const dir = await temporaryDirectory((fn) => t.after(fn));
    const keysFile = join(dir, 'keys');
    await writeFile(keysFile, `${generateKeyPair().publicKey}\n`);
    const base = { RDS_SIM_DATA_DIR: dir, RDS_SIM_AUTHORIZED_KEYS_FILE: keysFile };
    await assert.rejects(processConfigFromEnv({}), /RDS_SIM_DATA_DIR is required/);
    await assert.rejects(processConfigFromEnv({ ...base, RDS_SIM_PORT: 'x' }), /RDS_SIM_PORT/);
    await assert.rejects(processConfigFromEnv({ ...base, RDS_SIM_POOL_SIZE: '1.5T' }), /RDS_SIM_POOL_SIZE/);
    await assert.rejects(processConfigFromEnv({ ...base, RDS_SIM_HANG: 'maybe' }), /RDS_SIM_HANG/);
    const config = await processConfigFromEnv({
      ...base,
      RDS_SIM_POOL_SIZE: '10G',
      RDS_SIM_LATENCY_MS: '5',
      RDS_SIM_HANG: 'yes',
      RDS_SIM_CRLF: 'yes',
    });
    assert.equal(config.options.poolSizeBytes, 10 * GiB);
    assert.equal(config.options.latencyMs, 5);
    assert.equal(config.options.lineEnding, '\r\n');
    assert.equal(config.startupFaults.hang, true);
    assert.deepEqual(argumentsToEnv(['--data-dir=/x', '--nvme-tcp-print=yes']), {
      RDS_SIM_DATA_DIR: '/x',
      RDS_SIM_NVME_TCP_PRINT: 'yes',
    });
    assert.throws(() => argumentsToEnv(['-p', '22']), /expected --name=value/);
    assert.throws(() => parseControlLine('not json'), /not JSON/);
    assert.deepEqual(parseControlLine('{"action":"setHang","hang":true}'), { action: 'setHang', hang: true });
  });
});
