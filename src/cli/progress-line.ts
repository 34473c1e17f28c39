/**
 * A one-line status for terminals (rewritten in place with \r, at most ~10 times a second) and plain lines
 * otherwise. Never writes to stdout.
 */
export class ProgressLine {
  private lastDraw = 0;
  private visible = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    readonly isTty: boolean,
  ) {}

  /** Redraw the status (TTY only; throttled unless `force`). */
  update(text: string, force = false): void {
    if (!this.isTty) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const columns = (this.stream as { columns?: number }).columns ?? 120;
    this.stream.write(`\r\u001b[2K${text.slice(0, Math.max(20, columns - 1))}`);
    this.visible = true;
  }

  /** Print a permanent line (clearing the status first). */
  log(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.visible) {
      this.stream.write('\r\u001b[2K');
      this.visible = false;
    }
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)}k` : perSecond.toFixed(0);
}
