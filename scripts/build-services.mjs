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
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(
    `${name}: ${relative(root, join(outdir, 'main.js'))} (${(bytes / 1024 / 1024).toFixed(1)} MiB with map)`,
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
