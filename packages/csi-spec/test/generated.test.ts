import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GENERATED_DIR, GENERATOR_FLAGS, generateTypes } from '../bin/generate-types.js';
import { LOADER_OPTIONS } from '../src/index.js';

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

test('the checked-in generated types are what the generator makes of proto/csi.proto now', async (t) => {
  const fresh = await mkdtemp(join(tmpdir(), 'csi-types-'));
  t.after(() => rm(fresh, { recursive: true, force: true }));
  generateTypes(fresh);
  const [expected, checkedIn] = await Promise.all([filesUnder(fresh), filesUnder(GENERATED_DIR)]);
  assert.ok(expected.size > 0, 'the generator wrote files');
  assert.deepEqual(
    [...checkedIn.keys()].sort(),
    [...expected.keys()].sort(),
    'run npm run generate -w @rds-csi/csi-spec',
  );
  for (const [path, text] of expected) {
    assert.equal(checkedIn.get(path), text, `${path} is stale: run npm run generate -w @rds-csi/csi-spec`);
  }
});

test('the generator decodes with the options the loader uses', () => {
  assert.deepEqual(LOADER_OPTIONS, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  assert.deepEqual(GENERATOR_FLAGS, [
    '--keepCase',
    '--longs=String',
    '--enums=String',
    '--defaults',
    '--oneofs',
  ]);
});
