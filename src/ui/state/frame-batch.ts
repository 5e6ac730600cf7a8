/**
 * Items queued now, handed over once per animation frame, at most `perFrame` at a time (the rest
 * in the following frames), so a command touching 10,000 files never blocks the page.
 */
export class FrameBatch<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly perFrame: number,
    private readonly onBatch: (batch: T[]) => void,
  ) {}

  push(item: T) {
    this.pending.push(item);
    this.schedule();
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    const next = globalThis.requestAnimationFrame ?? ((f: () => void) => setTimeout(f, 16));
    next(() => {
      this.scheduled = false;
      this.onBatch(this.pending.splice(0, this.perFrame));
      if (this.pending.length) this.schedule();
    });
  }
}
