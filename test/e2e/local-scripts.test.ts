/** The local tools an operator runs first: `npm run req` without a running stack says so in one line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@rds-csi/testkit';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'bus-request.ts');

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCRIPT, ...args],
      { env: { ...process.env, ...env } },
      (err, _o, stderr) => resolve({ code: typeof err?.code === 'number' ? err.code : 0, stderr }),
    );
  });
}

describe('npm run req', () => {
  it('takes the subject as the docs print it and prints one line when no NATS answers', async () => {
    const { code, stderr } = await run(['rdscsi.attach.list'], {
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    });
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^UNAVAILABLE: cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+/);
  });

  it('names the subjects it knows for an unknown one', async () => {
    const { code, stderr } = await run(['rdscsi.no.such'], {});
    assert.equal(code, 2);
    assert.match(stderr, /rdscsi\.attach\.list/);
  });
});
