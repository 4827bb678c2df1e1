import type { Attachment } from '@rds-csi/contracts';
import type { AttachmentsListener } from './store-keeper.js';

/**
 * Live migrations past their deadline, for the overdue gauge: fed by every change of the served attachments, and
 * re-counted by a timer at the next deadline, so a pair is reported overdue when its deadline passes, not at the
 * next pass. Holds only the volumes attached to two nodes with a deadline.
 */
export class MigrationDeadlines implements AttachmentsListener {
  private readonly deadlines = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly report: (overdue: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  reset(attachments: Attachment[]): void {
    this.deadlines.clear();
    for (const attachment of attachments) this.track(attachment.volumeId, attachment);
    this.update();
  }

  change(volumeId: string, after: Attachment | undefined): void {
    this.track(volumeId, after);
    this.update();
  }

  overdue(): string[] {
    const now = this.now();
    return [...this.deadlines].filter(([, at]) => at < now).map(([volumeId]) => volumeId);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private track(volumeId: string, attachment: Attachment | undefined): void {
    const deadline = attachment?.migrationDeadline;
    if (attachment && attachment.nodes.length >= 2 && deadline !== undefined)
      this.deadlines.set(volumeId, Date.parse(deadline));
    else this.deadlines.delete(volumeId);
  }

  private update(): void {
    clearTimeout(this.timer);
    const now = this.now();
    this.report(this.overdue().length);
    const next = Math.min(...[...this.deadlines.values()].filter((at) => at >= now));
    if (!Number.isFinite(next)) return;
    // Deadlines are compared with "<": the pair is overdue one millisecond after its deadline.
    this.timer = setTimeout(() => this.update(), next - now + 1);
    this.timer.unref();
  }
}
