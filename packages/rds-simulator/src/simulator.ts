/**
 * The simulated RDS: a real SSH server (ssh2's server side) that runs RouterOS command lines sent as exec requests
 * against a simulated storage pool with real sparse backing files, plus run-time fault injection.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import type {
  AcceptConnection,
  AuthContext,
  Connection,
  ParsedKey,
  ServerChannel,
  Session,
  Server as SshServer,
} from 'ssh2';
import { executeCommands, type ExecutorContext } from './executor.js';
import { SimulatorFaults } from './faults.js';
import { LinkFaults } from './link-faults.js';
import { ensureHostKey, fingerprintOf, parseSshKey, publicKeyLineOf } from './keys.js';
import { CliParseError } from './lexer.js';
import { parseCommandLine } from './parser.js';
import { loadState, saveState, type SimulatorState } from './state.js';
import { BackingStorage } from './storage.js';
import { freeBytes, sizeOfFile, usedBytes, type Pool } from './views.js';

/** The one read-only identity query RouterOS answers at constant cost. */
const IDENTITY_QUERY = '/system identity print';
export type SimulatorLog = (message: string, fields?: Record<string, unknown>) => void;

export interface RdsSimulatorOptions {
  /** Holds `state.json`, the backing files (`fs/<RouterOS file name>`) and, by default, the host key. */
  dataDir: string;
  /** OpenSSH public key lines allowed to log in. */
  authorizedKeys: string[];
  /** 0 (default) picks a free port once; restarts keep it. */
  port?: number;
  host?: string;
  /** Default `<dataDir>/ssh_host_ed25519_key`; generated when missing, so the fingerprint survives restarts. */
  hostKeyPath?: string;
  /** Enables password authentication (off by default). */
  password?: string;
  /** Only this user may log in (default: any user name). */
  username?: string;
  /** Size of the storage pool partition (default 11 522 267 947 008 bytes, a RAID5 of four 3.84 TB drives). */
  poolSizeBytes?: number;
  /** The driver's base path; its first component names the pool mount point (default `/storage-pool/metal-csi`). */
  basePath?: string;
  /** Terminal width `print detail` wraps at (default 79, at least 40). */
  wrapColumn?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Whether `/disk nvme-tcp print` exists (default false: `bad command name`, as on older RouterOS). */
  nvmeTcpPrint?: boolean;
  /** A narrow terminal: pairs too long for any line are cut at the column even inside their names (default false). */
  cutNames?: boolean;
  /** Line ending of command output (default `\n`). */
  lineEnding?: '\n' | '\r\n';
  log?: SimulatorLog;
}

export interface DiskSnapshot {
  slot: string;
  /** As `/disk print` shows it: `/storage-pool/metal-csi/pvc-x.img`. */
  filePath: string;
  sizeBytes: number;
  nvmeTcpExport: boolean;
  nvmeTcpServerPort: number;
  nvmeTcpServerNqn: string;
  disabled: boolean;
  /** `nvme-tcp-server-allow-host-name` as printed: comma-separated host NQNs, empty = any host. */
  nvmeTcpAllowHostName: string;
  /** Local path of the sparse backing file. */
  backingFile: string;
}

export interface FileSnapshot {
  /** RouterOS file name (no leading slash). */
  name: string;
  sizeBytes: number;
  backingFile: string;
}

export interface CapacitySnapshot {
  poolSizeBytes: number;
  usedBytes: number;
  freeBytes: number;
}

const DEFAULT_POOL_SIZE = 11_522_267_947_008;
const DEFAULT_BASE_PATH = '/storage-pool/metal-csi';
const BASE_PATH = /^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** What an exec request prints on stdout, its exit status, and whether a command failed (for the log). */
interface Reply {
  output: string;
  exitCode: number;
  failed: boolean;
}

/** One SSH connection's open session channels, closed together when the connection goes. */
interface ConnectionTracker {
  closed: boolean;
  closeSessions: Set<() => void>;
}

/** Told when an export stops; the simulator awaits it before answering the command line that stopped it. */
export type ExportStoppedListener = (nqn: string) => void | Promise<void>;

export class RdsSimulator {
  readonly faults: SimulatorFaults;
  /** TCP/SSH-level faults (resets, drops, banner then close), applied to new connections. */
  readonly linkFaults = new LinkFaults();
  /** Every exec command line received, in order, including ones that were refused, failed or never answered. */
  readonly commandLog: string[] = [];
  /** `/system identity print` requests received (left out of `commandLog`). */
  identityQueries = 0;
  readonly hostKeyFingerprint: string;
  /** The host public key as `<type> <base64>`, for known_hosts style pinning. */
  readonly hostKeyLine: string;

  private readonly pool: Pool;
  /** RouterOS name of the base directory (`storage-pool/metal-csi`); its first component is the mount point. */
  private readonly baseDirectory: string;
  private readonly storage: BackingStorage;
  private readonly sshServer: SshServer;
  private readonly sockets = new Set<Socket>();
  private readonly inflight = new Set<Promise<void>>();
  private tcpServer: NetServer | undefined;
  private boundPort: number | undefined;
  private lifecycle = new AbortController();
  private sessionCount = 0;
  private nvmeTcpPrint: boolean;
  private executionQueue: Promise<unknown> = Promise.resolve();
  private readonly exportStoppedListeners = new Set<ExportStoppedListener>();

  private constructor(
    private options: RdsSimulatorOptions,
    private state: SimulatorState,
    hostKey: ParsedKey,
    hostKeyPem: string,
    private readonly authorizedKeys: ParsedKey[],
  ) {
    this.baseDirectory = (options.basePath ?? DEFAULT_BASE_PATH).slice(1);
    const mountPoint = this.baseDirectory.split('/')[0] ?? '';
    this.pool = { mountPoint, sizeBytes: options.poolSizeBytes ?? DEFAULT_POOL_SIZE, reservedBytes: 0 };
    this.storage = new BackingStorage(join(options.dataDir, 'fs'));
    this.nvmeTcpPrint = options.nvmeTcpPrint ?? false;
    this.hostKeyFingerprint = fingerprintOf(hostKey.getPublicSSH());
    this.hostKeyLine = publicKeyLineOf(hostKey);
    this.faults = new SimulatorFaults({
      pool: this.pool,
      usedBytes: () => usedBytes(this.state),
      stopListening: () => this.stopListening(),
      dropConnections: () => this.dropConnections(),
    });
    this.faults.setLatency(options.latencyMs ?? 0, options.jitterMs ?? 0);
    // RouterOS identifies itself as `SSH-2.0-ROSSSH`.
    this.sshServer = new ssh2.Server({ hostKeys: [hostKeyPem], ident: 'ROSSSH' }, (connection) =>
      this.onConnection(connection),
    );
  }

  /** Creates a simulator from `options` (loading state and host key from the data directory) and starts listening. */
  static async start(options: RdsSimulatorOptions): Promise<RdsSimulator> {
    validateOptions(options);
    await mkdir(options.dataDir, { recursive: true });
    const hostKeyPem = await ensureHostKey(
      options.hostKeyPath ?? join(options.dataDir, 'ssh_host_ed25519_key'),
    );
    const authorizedKeys = options.authorizedKeys.map((line) => parseSshKey(line));
    const state = await loadState(join(options.dataDir, 'state.json'));
    const simulator = new RdsSimulator(options, state, parseSshKey(hostKeyPem), hostKeyPem, authorizedKeys);
    await simulator.start();
    return simulator;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** The listening port; the same across `refuseConnections()`/`start()` and `restart()`. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('simulator never listened');
    return this.boundPort;
  }

  /** A known_hosts line for this server: `[host]:port <type> <base64>`. */
  get knownHostsLine(): string {
    return `[${this.host}]:${this.port} ${this.hostKeyLine}`;
  }

  get listening(): boolean {
    return this.tcpServer !== undefined;
  }

  /** Open SSH session channels (exec channels, including silent ones held by a hang). */
  get openChannels(): number {
    return this.sessionCount;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Listens (again) on the simulator's port; a no-op while listening. */
  async start(): Promise<void> {
    if (this.tcpServer) return;
    await mkdir(this.storage.pathOf(this.baseDirectory), { recursive: true });
    const server = createServer((socket) => this.onSocket(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort ?? this.options.port ?? 0, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log('listener error', { error: err.message }));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected listen address');
    this.boundPort = address.port;
    this.tcpServer = server;
    this.log('listening', { host: this.host, port: this.boundPort, fingerprint: this.hostKeyFingerprint });
  }

  /** Stops listening, drops every connection and abandons waiting requests; the state is already on disk. */
  async stop(): Promise<void> {
    this.stopListening();
    this.lifecycle.abort();
    await this.dropConnections();
    await Promise.allSettled([...this.inflight]);
    this.lifecycle = new AbortController();
  }

  /** Like an RDS reboot: drop everything, reload the saved state, listen again on the same port with the same key. */
  async restart(): Promise<void> {
    await this.stop();
    this.state = await loadState(this.statePath);
    await this.start();
  }

  /** A copy of the file disks as they are now. */
  disks(): DiskSnapshot[] {
    return this.state.disks.map((disk) => ({
      slot: disk.slot,
      filePath: `/${disk.fileName}`,
      sizeBytes: sizeOfFile(this.state, disk.fileName),
      nvmeTcpExport: disk.nvmeTcpExport,
      nvmeTcpServerPort: disk.nvmeTcpServerPort,
      nvmeTcpServerNqn: disk.nvmeTcpServerNqn,
      disabled: disk.disabled ?? false,
      nvmeTcpAllowHostName: disk.nvmeTcpAllowHostName ?? '',
      backingFile: this.storage.pathOf(disk.fileName),
    }));
  }

  /**
   * The NVMe/TCP side of the RDS: the backing file a connect from `hostNqn` to the subsystem `nqn` reaches, or
   * undefined when it is refused (no export with that NQN, or the host is not on its allow-list; empty = any host).
   */
  nvmeConnect(nqn: string, hostNqn: string): string | undefined {
    const disk = this.state.disks.find((d) => d.nvmeTcpExport && d.nvmeTcpServerNqn === nqn);
    if (!disk) return undefined;
    const allowed = (disk.nvmeTcpAllowHostName ?? '')
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== '');
    return allowed.length === 0 || allowed.includes(hostNqn) ? this.storage.pathOf(disk.fileName) : undefined;
  }

  /**
   * Subscribes to exports that stop (`nvme-tcp-export=no`, or the disk removed): every live connection to them
   * drops, as on the RDS; the NVMe side (the loop fabric) reconnects the hosts still admitted. Returns an unsubscribe.
   */
  onExportStopped(listener: ExportStoppedListener): () => void {
    this.exportStoppedListeners.add(listener);
    return () => this.exportStoppedListeners.delete(listener);
  }

  /** A copy of the files on the pool (a file stays after its disk is removed, until `/file remove`). */
  files(): FileSnapshot[] {
    return this.state.files.map((file) => ({
      name: file.name,
      sizeBytes: file.size,
      backingFile: this.storage.pathOf(file.name),
    }));
  }

  capacity(): CapacitySnapshot {
    return {
      poolSizeBytes: this.pool.sizeBytes,
      usedBytes: usedBytes(this.state),
      freeBytes: freeBytes(this.state, this.pool),
    };
  }

  /** Local path of the backing file of the disk in `slot` (for losetup in node-side tests). */
  backingFileOf(slot: string): string {
    const disk = this.state.disks.find((candidate) => candidate.slot === slot);
    if (!disk) throw new Error(`no file disk with slot ${slot}`);
    return this.storage.pathOf(disk.fileName);
  }

  /** Local path of a RouterOS file (`/storage-pool/x.img` or `storage-pool/x.img`), whether or not a disk uses it. */
  backingFileOfPath(filePath: string): string {
    const name = filePath.replace(/^\//, '');
    if (!this.state.files.some((file) => file.name === name)) throw new Error(`no such file ${filePath}`);
    return this.storage.pathOf(name);
  }

  /**
   * Runs a command line as an operator at the console would (not via SSH, not in `commandLog`): foreign disks,
   * disks removed or disabled by hand. Returns the output; failures are in it, as RouterOS prints them.
   */
  async runAsOperator(line: string): Promise<string> {
    return (await this.runExclusive(() => this.runCommandLine(line))).output;
  }

  /** The backing file of a disk vanishes behind RouterOS's back (deleted on the file system): the disk turns inactive. */
  loseBackingFile(slot: string): Promise<void> {
    const disk = this.state.disks.find((candidate) => candidate.slot === slot);
    if (!disk) throw new Error(`no file disk with slot ${slot}`);
    return this.runExclusive(async () => {
      await this.storage.remove(disk.fileName);
      this.state.files = this.state.files.filter((file) => file.name !== disk.fileName);
      await saveState(this.statePath, this.state);
    });
  }

  /** Lays `print detail` out for a terminal of `columns` (>= 40); `cutNames` as the option of that name. */
  setTerminal(columns: number, cutNames = false): void {
    validateOptions({ ...this.options, wrapColumn: columns });
    this.options = { ...this.options, wrapColumn: columns, cutNames };
  }

  /** Switches `/disk nvme-tcp print` between supported and `bad command name`. */
  setNvmeTcpPrint(supported: boolean): void {
    this.nvmeTcpPrint = supported;
  }

  private get statePath(): string {
    return join(this.options.dataDir, 'state.json');
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(message, fields);
  }

  /** Closes the listening socket at once; connections already made stay up (close() alone would wait for them). */
  private stopListening(): void {
    this.tcpServer?.close();
    this.tcpServer = undefined;
  }

  /** Destroys every connection; resolves when all are closed. */
  private dropConnections(): Promise<void> {
    const sockets = [...this.sockets];
    const allClosed = Promise.all(
      sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve))),
    );
    for (const socket of sockets) socket.destroy();
    return allClosed.then(() => undefined);
  }

  private onSocket(socket: Socket): void {
    // Each reply is a few small packets; with Nagle on they can wait ~40 ms for delayed ACKs.
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.linkFaults.takeSocket(socket)) return;
    this.sshServer.injectSocket(socket);
  }

  private onConnection(connection: Connection): void {
    const tracker: ConnectionTracker = { closed: false, closeSessions: new Set() };
    connection.on('error', (err: Error) => this.log('connection error', { error: err.message }));
    connection.on('close', () => {
      tracker.closed = true;
      for (const close of tracker.closeSessions) close();
    });
    connection.on('authentication', (context) => this.authenticate(context));
    connection.on('ready', () => {
      if (this.linkFaults.takeLogin()) return connection.end();
      connection.on('session', (accept) => this.onSession(accept, tracker));
    });
  }

  private authenticate(context: AuthContext): void {
    const methods: ('publickey' | 'password')[] =
      this.options.password === undefined ? ['publickey'] : ['publickey', 'password'];
    if (this.options.username !== undefined && context.username !== this.options.username)
      return context.reject(methods);
    if (context.method === 'publickey') {
      const key = this.authorizedKeys.find((candidate) => candidate.getPublicSSH().equals(context.key.data));
      // Without a signature the client only asks whether the key would do; with one, it must verify.
      const verified =
        !context.signature ||
        (context.blob !== undefined &&
          key?.verify(context.blob, context.signature, context.hashAlgo) === true);
      return key && verified ? context.accept() : context.reject(methods);
    }
    if (
      context.method === 'password' &&
      this.options.password !== undefined &&
      sameSecret(context.password, this.options.password)
    ) {
      return context.accept();
    }
    context.reject(methods);
  }

  private onSession(accept: AcceptConnection<Session>, connection: ConnectionTracker): void {
    const session = accept();
    this.sessionCount += 1;
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      this.sessionCount -= 1;
      connection.closeSessions.delete(close);
    };
    connection.closeSessions.add(close);
    session.once('close', close);
    // RouterOS offers an interactive CLI; the simulator only runs exec requests, and says so by refusing a shell.
    session.on('shell', (_accept, reject) => {
      this.log('shell request refused: the simulator supports exec requests only');
      reject();
    });
    session.on('exec', (acceptExec, _reject, info) => this.onExec(acceptExec, info.command, connection));
  }

  private onExec(
    accept: AcceptConnection<ServerChannel>,
    command: string,
    connection: ConnectionTracker,
  ): void {
    // Identity queries (the connector's health check) are not storage commands: tests count storage round trips
    // in commandLog, so these are counted apart.
    if (command === IDENTITY_QUERY) this.identityQueries += 1;
    else this.commandLog.push(command);
    const task = this.serveExec(accept, command, connection, this.lifecycle.signal).catch((err: unknown) => {
      if (!(err instanceof Error && err.name === 'AbortError'))
        this.log('exec failed', { command, error: String(err) });
    });
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }

  private async serveExec(
    accept: AcceptConnection<ServerChannel>,
    command: string,
    connection: ConnectionTracker,
    signal: AbortSignal,
  ): Promise<void> {
    await abortable(this.faults.whenNotHanging(), signal);
    // A request held by a hang whose client gave up never reaches the command processor.
    if (connection.closed) return;
    // accept() gives nothing when the client already closed the channel: the request is gone, nothing runs.
    const channel = accept() as ServerChannel | undefined;
    if (!channel) return;
    channel.on('error', (err: Error) => this.log('channel error', { error: err.message }));
    const started = Date.now();
    await sleep(this.faults.nextDelayMs(), undefined, { signal });
    const reply = await this.runExclusive(() => this.runCommandLine(command));
    this.log('exec', { command, exitCode: reply.exitCode, failed: reply.failed, ms: Date.now() - started });
    if (connection.closed || !channel.writable) return;
    channel.write(reply.output.replaceAll('\n', this.options.lineEnding ?? '\n'));
    channel.exit(reply.exitCode);
    channel.end();
  }

  /** One command line at a time, like the RouterOS console: no two commands see each other half done. */
  private runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.executionQueue.then(task, task);
    this.executionQueue = run.catch(() => undefined);
    return run;
  }

  private async runCommandLine(line: string): Promise<Reply> {
    const injected = this.faults.takeFailure();
    if (injected) return { output: withNewline(injected.message), exitCode: injected.exitCode, failed: true };
    try {
      const commands = parseCommandLine(line, { nvmeTcpMenu: this.nvmeTcpPrint });
      // RouterOS prints run-time failures on stdout and still exits 0; refused lines (parse errors) exit 1.
      const stopped: string[] = [];
      const { output, failed } = await executeCommands(commands, this.executorContext(stopped));
      await this.notifyExportsStopped(stopped);
      return { output, exitCode: 0, failed };
    } catch (err) {
      if (err instanceof CliParseError)
        return { output: withNewline(err.message), exitCode: 1, failed: true };
      this.log('command failed inside the simulator', { line, error: String(err) });
      return { output: 'failure: internal simulator error\n', exitCode: 1, failed: true };
    }
  }

  /** The connections drop before the command line answers (assumed of RouterOS; see docs/rds-connector.md). */
  private async notifyExportsStopped(nqns: readonly string[]): Promise<void> {
    for (const nqn of nqns) {
      const results = await Promise.allSettled(
        [...this.exportStoppedListeners].map(async (listener) => listener(nqn)),
      );
      for (const result of results) {
        if (result.status === 'rejected')
          this.log('export-stopped listener failed', { nqn, error: String(result.reason) });
      }
    }
  }

  private executorContext(stopped: string[]): ExecutorContext {
    return {
      state: this.state,
      storage: this.storage,
      pool: this.pool,
      baseDirectory: this.baseDirectory,
      wrapColumn: this.options.wrapColumn ?? 79,
      cutNames: this.options.cutNames ?? false,
      persist: () => saveState(this.statePath, this.state),
      exportStopped: (nqn) => stopped.push(nqn),
    };
  }
}

function validateOptions(options: RdsSimulatorOptions): void {
  const problems: string[] = [];
  if (!options.dataDir) problems.push('dataDir is required');
  if (options.authorizedKeys.length === 0 && options.password === undefined)
    problems.push('no way to log in');
  const base = options.basePath;
  if (
    base !== undefined &&
    !(BASE_PATH.test(base) && base.split('/').every((part) => part !== '.' && part !== '..'))
  ) {
    problems.push('bad basePath');
  }
  if (
    options.wrapColumn !== undefined &&
    !(Number.isInteger(options.wrapColumn) && options.wrapColumn >= 40)
  ) {
    problems.push('wrapColumn must be an integer >= 40');
  }
  const pool = options.poolSizeBytes;
  if (pool !== undefined && !(Number.isSafeInteger(pool) && pool > 0)) problems.push('bad poolSizeBytes');
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    problems.push('bad port');
  if (problems.length > 0) throw new Error(`invalid simulator options: ${problems.join('; ')}`);
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Compares secrets in constant time (hashing first so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Waits for `promise` unless `signal` aborts first (then rejects with an AbortError). */
function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- an abort reason is an Error (AbortError, or what abort() was given).
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- an abort reason is an Error (AbortError, or what abort() was given).
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
