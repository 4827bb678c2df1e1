/**
 * One pending re-check per NotReady node: when its grace period ends, `fire` runs (the reconciler then asks for a
 * pass, which reads the node list again). The earliest due time wins; a node that is Ready again is cancelled.
 */
export class RecheckTimers {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(private readonly fire: (nodeId: string, attempt: number) => void) {}

  schedule(nodeId: string, at: Date, attempt = 0): void {
    const existing = this.timers.get(nodeId);
    if (existing && existing.at <= at.getTime()) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        this.timers.delete(nodeId);
        this.fire(nodeId, attempt);
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(nodeId, { at: at.getTime(), timer });
  }

  /** Returns whether a re-check was pending. */
  cancel(nodeId: string): boolean {
    const existing = this.timers.get(nodeId);
    if (existing) clearTimeout(existing.timer);
    return this.timers.delete(nodeId);
  }

  pending(): string[] {
    return [...this.timers.keys()];
  }

  clear(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
