/**
 * What the image ships: build-services.mjs's bundles, run from a copy of dist/ alone (no node_modules), and the
 * license notices of every npm package each bundle inlines (read from the bundle's own source map, not from the
 * build script's list).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@rds-csi/testkit';

const ROOT = join(import.meta.dirname, '..', '..');
const BUNDLES: Record<string, string> = {
  'rds-connector': 'services/rds-connector/dist',
  'csi-gateway': 'services/csi-gateway/dist',
  'node-watcher': 'services/node-watcher/dist',
  reconciler: 'services/reconciler/dist',
  rdscsi: 'packages/cli/dist',
};

/** The npm packages a bundle inlined: each `node_modules/<name>/` (or `@scope/name`) among its source map's sources. */
function inlinedPackages(dist: string): string[] {
  const map = JSON.parse(readFileSync(join(ROOT, dist, 'main.js.map'), 'utf8')) as { sources: string[] };
  const names = map.sources.flatMap((source) => {
    const parts = resolve(ROOT, dist, source).split('/');
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) return [];
    const length = parts[at + 1]!.startsWith('@') ? 3 : 2;
    // A package's own embedded source map may name build-time directories that are no package (no package.json).
    if (!existsSync(join(parts.slice(0, at + length).join('/'), 'package.json'))) return [];
    return [parts.slice(at + 1, at + length).join('/')];
  });
  return [...new Set(names)].sort();
}

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the bundles the image ships', { timeout: 300_000 }, () => {
  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-services.mjs')], { stdio: 'pipe' });
  });

  for (const [target, dist] of Object.entries(BUNDLES)) {
    it(`${target}: THIRD-PARTY-NOTICES.txt names every npm package the bundle inlines, with its license`, () => {
      const inlined = inlinedPackages(dist);
      assert.ok(inlined.length >= 10, `${target} inlines ${inlined.length} packages`);
      const notices = readFileSync(join(ROOT, dist, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
      const listed = [...notices.matchAll(/^(\S+)@\d[^\s]*\nLicense: (.+)$/gm)].map((m) => [m[1]!, m[2]!]);
      // Notices may name more (a package whose code was all tree-shaken away still counts as an input), never less.
      const names = new Set(listed.map(([name]) => name));
      assert.deepEqual(
        inlined.filter((name) => !names.has(name)),
        [],
        'every inlined package has its notice',
      );
      for (const [name, license] of listed)
        assert.notEqual(license, 'not declared', `${name} declares a license`);
      assert.match(notices, /Permission is hereby granted, free of charge/, 'MIT texts are carried in full');
    });
  }

  it('rdscsi runs from its bundle alone and fails in one line without NATS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-bundle-'));
    try {
      await cp(join(ROOT, BUNDLES.rdscsi!), dir, { recursive: true });
      const help = await run([join(dir, 'main.js'), '--help'], dir);
      assert.equal(help.code, 0, help.stderr);
      for (const command of ['status', 'volumes', 'attachments', 'nodes', 'reconcile', 'orphans', 'release'])
        assert.match(help.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
      const server = `nats://127.0.0.1:${await freePort()}`;
      const down = await run([join(dir, 'main.js'), '--server', server, 'status'], dir);
      assert.equal(down.code, 1);
      assert.match(down.stderr, new RegExp(`^UNAVAILABLE: cannot reach NATS at ${server}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
