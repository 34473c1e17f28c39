/**
 * The page's player: an AudioWorklet that plays 16 kHz chunks at the context's rate (linear interpolation)
 * from a queue, counts output frames and underruns (a render block that found the queue empty while the
 * stream was still running), and reports both to the page a few times a second.
 */
declare const sampleRate: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

const SOURCE_RATE = 16000;
/** Playback starts once this much is queued (or the stream ended), so the first chunks do not starve it. */
const PREBUFFER = 1600;

class Player extends AudioWorkletProcessor {
  private chunks: Float32Array[] = [];
  /** Source samples before the first queued chunk. */
  private dropped = 0;
  private queued = 0;
  /** Position in source samples (fractional). */
  private position = 0;
  private framesOut = 0;
  private underruns = 0;
  private running = false;
  private ended = false;
  private sinceReport = 0;
  private playing = false;
  /** When the first sample was played (frames since reset), for the page's first-audio figure. */
  private startedAtFrame = -1;
  private framesSinceReset = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { samples?: Float32Array; end?: boolean; reset?: boolean };
      if (m.reset) {
        this.chunks = [];
        this.dropped = 0;
        this.queued = 0;
        this.position = 0;
        this.framesOut = 0;
        this.underruns = 0;
        this.running = true;
        this.ended = false;
        this.playing = false;
        this.startedAtFrame = -1;
        this.framesSinceReset = 0;
      }
      if (m.samples) {
        this.chunks.push(m.samples);
        this.queued += m.samples.length;
      }
      if (m.end) this.ended = true;
    };
  }

  private sample(index: number): number | undefined {
    let at = index - this.dropped;
    for (const c of this.chunks) {
      if (at < c.length) return c[at];
      at -= c.length;
    }
    return undefined;
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const step = SOURCE_RATE / sampleRate;
    let starved = false;
    this.framesSinceReset += out.length;
    if (!this.playing && this.running && (this.queued >= PREBUFFER || this.ended)) {
      this.playing = true;
      this.startedAtFrame = this.framesSinceReset;
    }
    if (!this.playing) {
      out.fill(0);
      return true;
    }
    for (let i = 0; i < out.length; i++) {
      const base = Math.floor(this.position);
      const a = this.sample(base);
      const b = this.sample(base + 1);
      if (a === undefined || (b === undefined && !this.ended)) {
        out[i] = 0;
        starved = true;
        continue;
      }
      const frac = this.position - base;
      out[i] = a + ((b ?? a) - a) * frac;
      this.position += step;
      this.framesOut++;
    }
    if (starved && this.running && !this.ended) this.underruns++;
    // Drop whole chunks already played.
    while (this.chunks.length > 0 && this.position - this.dropped >= (this.chunks[0] as Float32Array).length + 1) {
      this.dropped += (this.chunks.shift() as Float32Array).length;
    }
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate / 20) {
      this.sinceReport = 0;
      this.port.postMessage({ played: Math.floor(this.position), framesOut: this.framesOut, underruns: this.underruns, queued: this.queued, startedAtFrame: this.startedAtFrame });
    }
    return true;
  }
}

registerProcessor('synth-player', Player);
