import { MAX_SLOTS_PER_LOOKUP, buildPrintDisks, parseDisks, type DiskEntry } from '@rds-csi/routeros';
import type { RunCommand } from './rds-operations.js';

interface Lookup {
  slots: readonly string[];
  deadline: number;
  resolve(found: Map<string, DiskEntry>): void;
  reject(err: unknown): void;
}

/**
 * Disk lookups (`/disk print detail where slot=...`) of concurrent requests, coalesced into one command where RouterOS
 * allows (`where slot=a or slot=b ...`). Lookups asked in the same turn of the event loop go together; so do those
 * asked while `maxInFlight` lookup commands are already running (every channel would be busy: they would queue for
 * one anyway), sent as one command when the next finishes. Below that, a lookup is sent at once and waits for nothing.
 */
export class DiskLookups {
  private pending: Lookup[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: RunCommand,
    private readonly maxInFlight: number,
  ) {}

  /** The disks of `slots` that exist (at most MAX_SLOTS_PER_LOOKUP), by slot. */
  find(slots: readonly string[], deadline: number): Promise<Map<string, DiskEntry>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ slots, deadline, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  /** The oldest lookups whose slots fit one command together. */
  private takeBatch(): Lookup[] {
    const slots = new Set<string>();
    let count = 0;
    for (const lookup of this.pending) {
      const merged = new Set([...slots, ...lookup.slots]);
      if (count > 0 && merged.size > MAX_SLOTS_PER_LOOKUP) break;
      for (const slot of lookup.slots) slots.add(slot);
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async send(batch: Lookup[]): Promise<void> {
    const slots = [...new Set(batch.flatMap((l) => l.slots))];
    const label = batch.length > 1 ? 'print-coalesced' : 'print';
    try {
      // The latest deadline of the batch: a caller whose own deadline passes first has stopped waiting already.
      const deadline = Math.max(...batch.map((l) => l.deadline));
      const disks = parseDisks(await this.run(buildPrintDisks(slots), label, deadline));
      for (const lookup of batch) {
        const found = new Map<string, DiskEntry>();
        for (const disk of disks) if (lookup.slots.includes(disk.slot)) found.set(disk.slot, disk);
        lookup.resolve(found);
      }
    } catch (err) {
      for (const lookup of batch) lookup.reject(err);
    }
  }
}
