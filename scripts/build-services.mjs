// Bundles every service into one ESM file, services/<name>/dist/main.js, with its dependencies inlined, so the
// container image needs no node_modules; and the admin CLI into packages/cli/dist/main.js (target `rdscsi`).
// Usage: node scripts/build-services.mjs [service|rdscsi ...] (default: all).
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const servicesDir = join(root, 'services');
const ASSETS_DIR = 'assets';

// Bundled CommonJS packages call require() for Node built-ins and read __dirname/__filename (ssh2 at load time), none
// of which an ESM module has. The aliases avoid clashing with bundled modules that import the same helpers.
const banner = [
  "import { createRequire as __rdscsiCreateRequire } from 'node:module';",
  "import { dirname as __rdscsiDirname } from 'node:path';",
  "import { fileURLToPath as __rdscsiFileURLToPath } from 'node:url';",
  'const require = __rdscsiCreateRequire(import.meta.url);',
  'const __filename = __rdscsiFileURLToPath(import.meta.url);',
  'const __dirname = __rdscsiDirname(__filename);',
].join('\n');

// ssh2 loads these optional native accelerators inside try/catch and falls back to pure JS without them.
const external = ['cpu-features', '*.node'];

/** `new URL('<relative path>', import.meta.url)`: how a package locates a file shipped beside its sources. */
const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

/**
 * In a bundle import.meta.url is the bundle's own URL, so a relative asset URL (csi-spec's `../proto/csi.proto`)
 * would point nowhere. Like webpack and Vite, copy each referenced file to dist/assets/ and rewrite the URL to it.
 * Only the project's own sources are rewritten; a referenced file that does not exist fails the build.
 */
function assetUrlPlugin(outdir) {
  const copied = new Map();
  return {
    name: 'asset-url',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const assets = [];
        for (const match of source.matchAll(ASSET_URL)) assets.push(join(dirname(args.path), match[2]));
        for (const asset of assets) await copyAsset(asset, outdir, copied);
        const contents = source.replace(ASSET_URL, (_all, quote, path) => {
          const target = `./${ASSETS_DIR}/${basename(path)}`;
          return `new URL(${quote}${target}${quote}, import.meta.url)`;
        });
        return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js', watchFiles: assets };
      });
    },
  };
}

async function copyAsset(source, outdir, copied) {
  const name = basename(source);
  const previous = copied.get(name);
  if (previous && previous !== source) {
    throw new Error(
      `two assets are both named ${name}: ${relative(root, previous)} and ${relative(root, source)}`,
    );
  }
  if ((await stat(source).catch(() => undefined))?.isFile() !== true) {
    throw new Error(
      `asset ${relative(root, source)} referenced with new URL(..., import.meta.url) does not exist`,
    );
  }
  await mkdir(join(outdir, ASSETS_DIR), { recursive: true });
  await copyFile(source, join(outdir, ASSETS_DIR, name));
  copied.set(name, source);
}

/** The admin CLI is bundled like a service: one file, in the image beside them (deploy/entrypoint.sh). */
const CLI = 'rdscsi';
const packageDirOf = (name) => (name === CLI ? join(root, 'packages', 'cli') : join(servicesDir, name));

const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt';
const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The npm package an input file belongs to (`node_modules/<name>/` or `node_modules/@scope/name/`), by its root. */
function packageRootOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + length).join('/');
}

/** The SPDX expression of package.json's `license`, or of the older `licenses: [{ type }]` (ssh2 still uses it). */
function declaredLicense(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  const types = (manifest.licenses ?? []).map((l) => l.type).filter(Boolean);
  return types.length > 0 ? types.join(' OR ') : 'not declared';
}

/**
 * The bundle inlines npm packages, so it must carry their license notices: one file with, for every package an input
 * of the bundle came from, its name, version, declared license and the license files it ships (or a note that it
 * ships none).
 */
async function writeNotices(metafile, outdir) {
  const roots = [...new Set(Object.keys(metafile.inputs).map(packageRootOf).filter(Boolean))];
  const entries = [];
  for (const packageRoot of roots) {
    const dir = join(root, packageRoot);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const files = (await readdir(dir)).filter((file) => LICENSE_FILE.test(file)).sort();
    const texts = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
    const author = typeof manifest.author === 'object' ? manifest.author?.name : manifest.author;
    const header = [
      `${manifest.name}@${manifest.version}`,
      `License: ${declaredLicense(manifest)}`,
      ...(author ? [`Author: ${author}`] : []),
    ].join('\n');
    const body = texts.length > 0 ? texts.join('\n\n').trim() : '(the package ships no license file)';
    entries.push({ name: manifest.name, text: `${header}\n\n${body}` });
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const intro = `This bundle inlines the following ${entries.length} npm packages; their license notices follow.`;
  const rule = `\n\n${'-'.repeat(78)}\n\n`;
  await writeFile(join(outdir, NOTICES_FILE), [intro, ...entries.map((e) => e.text)].join(rule) + '\n');
  return entries.length;
}

async function buildService(name) {
  const packageDir = packageDirOf(name);
  const outdir = join(packageDir, 'dist');
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(packageDir, 'src', 'main.ts')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: banner },
    external,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
    plugins: [assetUrlPlugin(outdir)],
  });
  // The bundle is ESM; this marks it so wherever dist/ is copied (the image has no package.json of ours).
  await writeFile(join(outdir, 'package.json'), '{ "type": "module" }\n');
  const packages = await writeNotices(result.metafile, outdir);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(
    `${name}: ${relative(root, join(outdir, 'main.js'))} (${(bytes / 1024 / 1024).toFixed(1)} MiB with map, ` +
      `${packages} npm packages in ${NOTICES_FILE})`,
  );
}

async function allServices() {
  const entries = await readdir(servicesDir, { withFileTypes: true });
  const names = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const main = await stat(join(servicesDir, entry.name, 'src', 'main.ts')).catch(() => undefined);
    if (main?.isFile()) names.push(entry.name);
  }
  return [...names.sort(), CLI];
}

const requested = process.argv.slice(2);
const available = await allServices();
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown target(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
try {
  for (const name of requested.length > 0 ? requested : available) await buildService(name);
} catch (err) {
  // esbuild has already printed its diagnostics; anything else (a missing asset) is printed here.
  if (!err?.errors) console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
