#!/usr/bin/env node
/** `rdscsi`: the operators' admin CLI (docs/operations.md). In the image: `rdscsi`; locally: `npm run rdscsi --`. */
import { createInterface } from 'node:readline/promises';
import { runCli, type CliIo } from './cli.js';

/** Asks on stderr, reads one line from stdin (a terminal or a pipe); end of input means no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([rl.question(`${question}\nType "yes" to release: `), closed]);
    if (!process.stdin.isTTY) process.stderr.write('\n'); // a piped answer is not echoed
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  confirm,
};

process.exitCode = await runCli(process.argv.slice(2), io);
