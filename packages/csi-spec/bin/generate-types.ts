/**
 * Generates src/generated (the TypeScript shapes of proto/csi.proto) with the generator that ships in
 * @grpc/proto-loader, using the loader's own decoding options (LOADER_OPTIONS in src/load.ts).
 * `npm run generate -w @rds-csi/csi-spec` rewrites the checked-in files; test/generated.test.ts fails when they are
 * stale.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const GENERATED_DIR = fileURLToPath(new URL('../src/generated', import.meta.url));

const GENERATOR = createRequire(import.meta.url).resolve(
  '@grpc/proto-loader/build/bin/proto-loader-gen-types.js',
);

/** The flags mirror LOADER_OPTIONS; a test holds the two together. */
export const GENERATOR_FLAGS = ['--keepCase', '--longs=String', '--enums=String', '--defaults', '--oneofs'];

/** Writes the generated files into `outDir` (relative imports with `.js`, decoded shapes under the proto names). */
export function generateTypes(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      GENERATOR,
      ...GENERATOR_FLAGS,
      '--grpcLib=@grpc/grpc-js',
      '--importFileExtension=.js',
      '--inputTemplate=%s__Input',
      '--outputTemplate=%s',
      '-O',
      outDir,
      'proto/csi.proto',
    ],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  generateTypes(GENERATED_DIR);
}
