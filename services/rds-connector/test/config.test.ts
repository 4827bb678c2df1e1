import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdsCsiError } from '@rds-csi/contracts';
import { configFromEnv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rdscsi-connector-config-'));
const keyFile = join(dir, 'key');
writeFileSync(keyFile, 'not really a key');
const base = { RDS_ADDRESS: '10.0.0.5', RDS_SSH_KEY_FILE: keyFile, RDS_HOST_KEY: 'SHA256:' + 'A'.repeat(43) };
const invalid = (env: NodeJS.ProcessEnv, mention: RegExp) =>
  assert.throws(
    () => configFromEnv(env),
    (e: unknown) => e instanceof RdsCsiError && e.code === 'INVALID_ARGUMENT' && mention.test(e.message),
  );

describe('rds-connector configuration', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies production defaults', () => {
    const c = configFromEnv(base);
    assert.equal(c.rds.port, 22);
    assert.equal(c.rds.basePath, '/storage-pool/metal-csi');
    assert.equal(c.rds.maxChannels, 8);
    assert.equal(c.heartbeatIntervalMs, 5000);
    assert.deepEqual(c.bus.servers, ['nats://127.0.0.1:4222']);
  });

  it('requires a host key pin unless skipping the check is asked for explicitly', () => {
    invalid({ ...base, RDS_HOST_KEY: '' }, /host key pin/);
    assert.equal(
      configFromEnv({ ...base, RDS_HOST_KEY: '', RDS_INSECURE_SKIP_HOST_KEY_CHECK: 'true' }).rds
        .insecureSkipHostKeyCheck,
      true,
    );
    invalid({ ...base, RDS_INSECURE_SKIP_HOST_KEY_CHECK: 'yes' }, /true or false/);
  });

  it('names the variable that is wrong', () => {
    invalid({ ...base, RDS_ADDRESS: '' }, /RDS_ADDRESS/);
    invalid({ ...base, RDS_SSH_KEY_FILE: join(dir, 'missing') }, /RDS_SSH_KEY_FILE/);
    invalid({ ...base, RDS_SSH_PORT: 'twenty-two' }, /RDS_SSH_PORT/);
    invalid({ ...base, RDS_MAX_CHANNELS: '0' }, /maxChannels/);
  });
});
