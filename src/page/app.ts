/**
 * The page of `synth serve`: picks what to say and how, streams it over the WebSocket, plays it through an
 * AudioWorklet as it is generated, and draws the spectrograms (generated, teacher-forced, truth), the
 * waveform and the drift while it plays. Counters: first audio, rtf, chunk latency, underruns. A/B plays the
 * truth instead; Download writes the generated audio as a WAV. window.synthPage exposes the counters for
 * the browser tests.
 */
import { RealFft } from '../dsp/fft.js';
import { decodeAudioFrame, FRAME_GENERATED, FRAME_TRUTH, type ServerMessage, type Source, type StartMessage } from '../serve/protocol.js';

const RATE = 16000;
const FFT = 512;
const HOP = 160;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const statusLine = $('status');

interface StreamView {
  id: string;
  samples: Float32Array;
  length: number;
  columnsDrawn: number;
  canvas: HTMLCanvasElement;
}

const state = {
  ws: undefined as WebSocket | undefined,
  context: undefined as AudioContext | undefined,
  player: undefined as AudioWorkletNode | undefined,
  listen: 'generated' as 'generated' | 'truth',
  streams: new Map<string, StreamView>(),
  truth: undefined as Float32Array | undefined,
  playId: '',
  playStarted: 0,
  firstAudioMs: -1,
  framesOut: 0,
  underruns: 0,
  played: 0,
  ended: new Set<string>(),
  drift: [] as Array<{ timeS: number; melDistDb: number | null }>,
  counter: 0,
};

/** Counters for the browser tests. */
(window as unknown as { synthPage: unknown }).synthPage = {
  get framesOut() {
    return state.framesOut;
  },
  get underruns() {
    return state.underruns;
  },
  get firstAudioMs() {
    return state.firstAudioMs;
  },
  get ended() {
    return state.ended.size > 0 && [...state.streams.keys()].every((id) => state.ended.has(id));
  },
  get generatedSamples() {
    return state.streams.get(state.playId)?.length ?? 0;
  },
  get contextRate() {
    return state.context?.sampleRate ?? 0;
  },
  /** Changes when a Play has started its stream. */
  get playId() {
    return state.playId;
  },
  get driftFrames() {
    return state.drift.length;
  },
};

const fft = new RealFft(FFT);
const power = new Float64Array(FFT / 2 + 1);
const frame = new Float64Array(FFT);

/** Draw spectrogram columns of `samples` from column `from` to what is complete, into `canvas` (scrolling when full). */
function drawColumns(canvas: HTMLCanvasElement, samples: Float32Array, length: number, from: number): number {
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const columns = Math.floor(Math.max(0, length - FFT) / HOP) + (length >= FFT ? 1 : 0);
  const height = canvas.height;
  for (let c = from; c < columns; c++) {
    for (let i = 0; i < FFT; i++) frame[i] = (samples[c * HOP + i] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT));
    fft.powerSpectrum(frame, power);
    const x = c % canvas.width;
    if (c >= canvas.width && x === 0) g.clearRect(0, 0, canvas.width, height);
    const image = g.createImageData(1, height);
    for (let y = 0; y < height; y++) {
      const bin = Math.floor(((height - 1 - y) / height) * (FFT / 2));
      const db = 10 * Math.log10((power[bin] as number) + 1e-10);
      const v = Math.max(0, Math.min(255, Math.round(((db + 60) / 90) * 255)));
      image.data.set([v, Math.floor(v * 0.6), 255 - v, 255], y * 4);
    }
    g.putImageData(image, x, 0);
  }
  return columns;
}

function drawWave(samples: Float32Array, length: number): void {
  const canvas = $<HTMLCanvasElement>('wave');
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#6cf';
  g.beginPath();
  const span = Math.min(length, RATE * 2);
  const start = Math.max(0, length - span);
  for (let x = 0; x < canvas.width; x++) {
    const v = samples[start + Math.floor((x / canvas.width) * span)] ?? 0;
    const y = canvas.height / 2 - v * (canvas.height / 2);
    if (x === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  }
  g.stroke();
}

function drawDrift(): void {
  const canvas = $<HTMLCanvasElement>('driftPlot');
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#fc6';
  const total = Math.max(1, state.drift.length);
  state.drift.forEach((d, i) => {
    if (d.melDistDb === null) return;
    const h = Math.min(canvas.height, (d.melDistDb / 30) * canvas.height);
    g.fillRect((i / total) * canvas.width, canvas.height - h, Math.max(1, canvas.width / total), h);
  });
  const last = [...state.drift].reverse().find((d) => d.melDistDb !== null);
  $('drift').textContent = last ? `mel drift ${(last.melDistDb as number).toFixed(1)} dB` : 'mel drift -';
}

async function ensureAudio(): Promise<void> {
  if (state.context) return;
  const context = new AudioContext();
  await context.audioWorklet.addModule('player-worklet.js');
  const player = new AudioWorkletNode(context, 'synth-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
  player.connect(context.destination);
  player.port.onmessage = (e: MessageEvent) => {
    const m = e.data as { played: number; framesOut: number; underruns: number; startedAtFrame: number };
    state.framesOut = m.framesOut;
    state.underruns = m.underruns;
    state.played = m.played;
    if (state.firstAudioMs < 0 && m.startedAtFrame >= 0) state.firstAudioMs = performance.now() - state.playStarted;
    $('underruns').textContent = `underruns ${m.underruns}`;
    $('played').textContent = `played ${(m.played / RATE).toFixed(1)} s`;
    $('firstAudio').textContent = state.firstAudioMs >= 0 ? `first audio ${state.firstAudioMs.toFixed(0)} ms` : 'first audio -';
    if (state.listen === 'generated' && state.playId) send({ type: 'played', id: state.playId, samples: m.played });
  };
  state.context = context;
  state.player = player;
}

function send(message: object): void {
  if (state.ws?.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

function feed(samples: Float32Array): void {
  state.player?.port.postMessage({ samples }, [samples.buffer]);
}

function onMessage(m: ServerMessage): void {
  if (m.type === 'hello') {
    $('model').textContent = `model ${m.model} on ${m.backend}, ${m.sampleRateHz} Hz${m.text ? ', text front end' : ''}`;
    const select = $<HTMLSelectElement>('demo');
    select.replaceChildren(...m.demos.map((d) => Object.assign(document.createElement('option'), { value: d, textContent: d })));
    if (!m.text) $<HTMLInputElement>('textRadio').disabled = true;
  } else if (m.type === 'started') {
    const view = state.streams.get(m.id);
    if (view) {
      view.samples = new Float32Array(m.lengthSamples);
      view.length = 0;
    }
  } else if (m.type === 'stats') {
    if (m.id === state.playId) {
      $('rtf').textContent = `rtf ${m.rtf.toFixed(1)}`;
      $('latency').textContent = `chunk latency p99 ${m.chunkLatencyMs.toFixed(1)} ms`;
    }
  } else if (m.type === 'drift') {
    if (m.id === state.playId) {
      state.drift.push({ timeS: m.timeS, melDistDb: m.melDistDb });
      if (state.drift.length % 5 === 0) drawDrift();
    }
  } else if (m.type === 'end') {
    state.ended.add(m.id);
    if (m.id === state.playId) {
      state.player?.port.postMessage({ end: true });
      ($<HTMLButtonElement>('download')).disabled = false;
      drawDrift();
    }
  } else if (m.type === 'error') {
    statusLine.textContent = `${m.code}: ${m.message}`;
  }
}

function onAudio(buffer: ArrayBuffer): void {
  const f = decodeAudioFrame(buffer);
  if (f.kind === FRAME_TRUTH) {
    state.truth = f.samples;
    drawColumns($<HTMLCanvasElement>('specTruth'), f.samples, f.samples.length, 0);
    if (state.listen === 'truth') feed(f.samples.slice());
    return;
  }
  if (f.kind !== FRAME_GENERATED) return;
  const view = state.streams.get(f.id);
  if (!view) return;
  view.samples.set(f.samples.subarray(0, Math.max(0, view.samples.length - f.startSample)), f.startSample);
  view.length = Math.max(view.length, f.startSample + f.samples.length);
  view.columnsDrawn = drawColumns(view.canvas, view.samples, view.length, view.columnsDrawn);
  if (f.id === state.playId) {
    drawWave(view.samples, view.length);
    if (state.listen === 'generated') feed(f.samples.slice());
  }
}

async function readFileText(input: HTMLInputElement): Promise<{ name: string; text: string } | undefined> {
  const file = input.files?.[0];
  return file ? { name: file.name, text: await file.text() } : undefined;
}

async function base64Of(input: HTMLInputElement): Promise<string | undefined> {
  const file = input.files?.[0];
  if (!file) return undefined;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function sourceOf(): Promise<Source | undefined> {
  const kind = (document.querySelector('input[name=source]:checked') as HTMLInputElement).value;
  if (kind === 'text') return { kind: 'text', text: $<HTMLInputElement>('text').value };
  if (kind === 'labels') {
    const labels = await readFileText($<HTMLInputElement>('labels'));
    if (!labels) {
      statusLine.textContent = 'choose a label file';
      return undefined;
    }
    const ext = labels.name.split('.').pop() ?? '';
    const format = ext === 'textgrid' || ext === 'TextGrid' ? 'TextGrid' : (ext as 'lab' | 'phn' | 'segs' | 'json');
    const recording = await base64Of($<HTMLInputElement>('recording'));
    return { kind: 'labels', format, content: labels.text, ...(recording ? { recording } : {}) };
  }
  return { kind: 'demo', name: $<HTMLSelectElement>('demo').value };
}

async function play(): Promise<void> {
  stop();
  statusLine.textContent = '';
  await ensureAudio();
  await state.context?.resume();
  const source = await sourceOf();
  if (!source) return;
  const mode = $<HTMLSelectElement>('mode').value;
  const number = (id: string): number => Number($<HTMLInputElement>(id).value);
  const base: Omit<StartMessage, 'id'> = {
    type: 'start',
    source,
    condition: $<HTMLSelectElement>('condition').value as 'phones' | 'recording',
    temperature: number('temperature'),
    seed: Math.max(0, Math.round(number('seed'))),
    rngSeed: Math.max(0, Math.round(number('rngSeed'))),
  };
  state.streams.clear();
  state.ended.clear();
  state.drift = [];
  state.truth = undefined;
  state.firstAudioMs = -1;
  for (const id of ['specGen', 'specForced', 'specTruth', 'wave', 'driftPlot']) {
    const c = $<HTMLCanvasElement>(id);
    (c.getContext('2d') as CanvasRenderingContext2D).clearRect(0, 0, c.width, c.height);
  }
  const three = mode === 'three';
  $('views').classList.toggle('three', three);
  $('forcedView').hidden = !three;
  $('genTitle').textContent = mode === 'forced' ? 'teacher-forced' : 'free-running';
  const id = `s${++state.counter}`;
  state.playId = id;
  state.streams.set(id, { id, samples: new Float32Array(0), length: 0, columnsDrawn: 0, canvas: $<HTMLCanvasElement>('specGen') });
  state.player?.port.postMessage({ reset: true });
  state.playStarted = performance.now();
  send({ ...base, id, teacherForced: mode === 'forced' });
  if (three) {
    const forced = `s${++state.counter}`;
    state.streams.set(forced, { id: forced, samples: new Float32Array(0), length: 0, columnsDrawn: 0, canvas: $<HTMLCanvasElement>('specForced') });
    send({ ...base, id: forced, teacherForced: true });
  }
  ($<HTMLButtonElement>('download')).disabled = true;
}

function stop(): void {
  for (const id of state.streams.keys()) if (!state.ended.has(id)) send({ type: 'stop', id });
  state.player?.port.postMessage({ end: true });
}

function download(): void {
  const view = state.streams.get(state.playId);
  if (!view) return;
  const samples = view.samples.subarray(0, view.length);
  const bytes = new ArrayBuffer(44 + samples.length * 2);
  const v = new DataView(bytes);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, RATE, true);
  v.setUint32(28, RATE * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => v.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(s * 32768))), true));
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' })), download: 'synth.wav' });
  a.click();
}

function connect(): void {
  const ws = new WebSocket(`ws://${location.host}/ws`);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (e) => (typeof e.data === 'string' ? onMessage(JSON.parse(e.data) as ServerMessage) : onAudio(e.data as ArrayBuffer));
  ws.onclose = () => {
    statusLine.textContent = 'disconnected from the server';
  };
  state.ws = ws;
}

$('play').addEventListener('click', () => void play());
$('stop').addEventListener('click', stop);
$('download').addEventListener('click', download);
for (const input of document.querySelectorAll<HTMLInputElement>('input[name=ab]')) {
  input.addEventListener('change', () => {
    state.listen = input.value as 'generated' | 'truth';
    // A/B: restart playback from the start with the other signal.
    state.player?.port.postMessage({ reset: true });
    const samples = state.listen === 'truth' ? state.truth : state.streams.get(state.playId)?.samples.subarray(0, state.streams.get(state.playId)?.length ?? 0);
    if (samples) feed(samples.slice());
    if (state.listen === 'truth' || state.ended.has(state.playId)) state.player?.port.postMessage({ end: true });
  });
}
connect();
