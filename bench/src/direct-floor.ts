import { Client, type ClientChannel } from 'ssh2';

/**
 * The "direct floor": the fewest RouterOS commands a volume lifecycle needs, sent over one SSH connection with no
 * bus, validation or bookkeeping: what any driver would pay for the RDS alone. Create is a lookup and an add;
 * delete a lookup and a chained remove of disk and file; publish adds one lookup (the export check).
 */
export class DirectFloor {
  private constructor(private readonly client: Client) {}

  static connect(options: { host: string; port: number; privateKey: string }): Promise<DirectFloor> {
    const client = new Client();
    return new Promise((resolve, reject) => {
      client.once('ready', () => {
        client.setNoDelay(true);
        resolve(new DirectFloor(client));
      });
      client.once('error', reject);
      client.connect({
        host: options.host,
        port: options.port,
        username: 'admin',
        privateKey: options.privateKey,
      });
    });
  }

  exec(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err: Error | undefined, channel: ClientChannel) => {
        if (err) return reject(err);
        let out = '';
        channel.on('data', (d: Buffer) => (out += d.toString()));
        channel.stderr.on('data', () => undefined);
        channel.once('close', () => resolve(out));
      });
    });
  }

  async createVolume(slot: string, basePath: string): Promise<void> {
    await this.exec(`/disk print detail where slot=${slot}`);
    await this.exec(
      `/disk add type=file file-path=${basePath}/${slot}.img file-size=64M slot=${slot} nvme-tcp-export=yes ` +
        `nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:${slot}`,
    );
  }

  async publish(slot: string): Promise<void> {
    await this.exec(`/disk print detail where slot=${slot}`);
  }

  async deleteVolume(slot: string, basePath: string): Promise<void> {
    await this.exec(`/disk print detail where slot=${slot}`);
    await this.exec(`/disk remove [find slot=${slot}]; /file remove "${basePath.slice(1)}/${slot}.img"`);
  }

  close(): void {
    this.client.end();
  }
}

/** Runs `count` tasks with at most `concurrency` at once; returns completed tasks per second. */
export async function ratePerSecond(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}
