import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { NodeId, RdsCsiError, VolumeId, toRdsCsiError } from '@rds-csi/contracts';
import { AdminClient, type ConnectSettings } from './client.js';
import * as commands from './commands.js';
import type { Confirm, Outcome } from './commands.js';

/** Exit codes (docs/operations.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, unhealthy: 3 } as const;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Where the local stack's `.local/nats.url` is looked for. */
  cwd: string;
  /** Asks a yes/no question (on stderr), for `release` without --yes. */
  confirm: Confirm;
}

const DEFAULT_SERVER = 'nats://127.0.0.1:4222';

interface GlobalOptions {
  server?: string;
  user: string;
  passwordFile?: string;
  timeout: number;
  json: boolean;
}

function localServer(cwd: string): string | undefined {
  try {
    return readFileSync(join(cwd, '.local', 'nats.url'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function settingsOf(options: GlobalOptions, io: CliIo): ConnectSettings {
  const password = options.passwordFile
    ? readFileSync(options.passwordFile, 'utf8').trim()
    : io.env.RDSCSI_NATS_PASSWORD || undefined;
  return {
    server: options.server ?? io.env.NATS_URL ?? localServer(io.cwd) ?? DEFAULT_SERVER,
    user: options.user,
    password,
    prefix: io.env.RDSCSI_SUBJECT_PREFIX || undefined,
    timeoutMs: options.timeout,
  };
}

/** A schema-checked argument: a bad one is a usage error before anything is sent. */
function checked(schema: z.ZodType<string>, what: string) {
  return (value: string): string => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${what} ${JSON.stringify(value)} is not valid`);
    return parsed.data;
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function program(io: CliIo, run: (command: (client: AdminClient) => Promise<Outcome>) => Promise<void>) {
  const cli = new Command('rdscsi')
    .description('Admin CLI of the rds-csi driver: talks to its services over NATS as the operator user')
    .addOption(
      new Option(
        '-s, --server <urls>',
        `NATS server(s), comma-separated (NATS_URL; default ${DEFAULT_SERVER})`,
      ),
    )
    .addOption(new Option('--user <name>', 'NATS user').env('RDSCSI_NATS_USER').default('operator'))
    .option('--password-file <path>', "file holding the user's NATS password (else RDSCSI_NATS_PASSWORD)")
    .addOption(
      new Option('--timeout <ms>', 'deadline of each request').argParser(positiveInt).default(10_000),
    )
    .option('--json', 'print JSON instead of tables', false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Usage errors are printed once, as one line with their code, by runCli.
      outputError: () => undefined,
    });
  cli
    .command('status')
    .description(
      'every service instance (version, readiness), the RDS link and the NATS connection; exit 3 if degraded',
    )
    .action(() => run((c) => commands.status(c)));
  cli
    .command('volumes')
    .description('every volume on the RDS')
    .action(() => run((c) => commands.volumes(c)));
  cli
    .command('attachments')
    .description('which node each volume is attached to')
    .addOption(
      new Option('--node <name>', 'only attachments to this node').argParser(checked(NodeId, 'node')),
    )
    .action((options: { node?: string }) => run((c) => commands.attachments(c, options.node)));
  cli
    .command('nodes')
    .description("the node-watcher's view of the Kubernetes nodes")
    .action(() => run((c) => commands.nodes(c)));
  cli
    .command('reconcile')
    .description('run a reconcile pass now (clears stale attachments); --dry-run only reports')
    .option('--dry-run', 'report what a pass would clear, change nothing', false)
    .action((options: { dryRun: boolean }) => run((c) => commands.reconcile(c, options.dryRun)));
  cli
    .command('orphans')
    .description('volumes on the RDS that no PersistentVolume references (report only)')
    .action(() => run((c) => commands.orphans(c)));
  cli
    .command('release')
    .description("break-glass: remove one node's attachment of a volume and revoke its storage fence")
    .argument('<volume>', 'volume ID (pvc-...)', checked(VolumeId, 'volume'))
    .requiredOption('--node <name>', 'the node to release the volume from', checked(NodeId, 'node'))
    .option('-y, --yes', 'do not ask for confirmation', false)
    .action((volume: string, options: { node: string; yes: boolean }) => {
      const confirm: Confirm = options.yes ? () => Promise.resolve(true) : io.confirm;
      return run((c) => commands.release(c, volume, options.node, confirm));
    });
  return cli;
}

/** Runs one command line; resolves the exit code (never rejects, never exits the process). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const cli = program(io, async (command) => {
    const options = cli.opts<GlobalOptions>();
    const client = await AdminClient.connect(settingsOf(options, io));
    try {
      const outcome = await command(client);
      io.stdout(options.json ? JSON.stringify(outcome.json, null, 2) + '\n' : outcome.text + '\n');
      if (outcome.healthy === false) exitCode = EXIT.unhealthy;
    } finally {
      await client.close();
    }
  });
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok; // --help, --version
      io.stderr(`INVALID_ARGUMENT: ${err.message.replace(/^error: /, '')}\n`);
      return EXIT.usage;
    }
    const failure = err instanceof RdsCsiError ? err : toRdsCsiError(err);
    io.stderr(`${failure.code}: ${oneLine(failure.message)}\n`);
    return EXIT.failed;
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');
