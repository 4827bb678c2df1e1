// The whole repository's test suite in one node:test run, so its output ends with one pass/fail summary.
// Runs under the Node that npm put first on PATH (Node 24 from the `node` devDependency).
import { spawn } from 'node:child_process';

const patterns = ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const args = [
  '--import',
  'tsx',

  '--test',
  '--test-concurrency=2',
  '--test-timeout=300000',
  ...(process.env.TEST_REPORTER ? [`--test-reporter=${process.env.TEST_REPORTER}`] : []),
  ...(process.argv.length > 2 ? process.argv.slice(2) : patterns),
];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
