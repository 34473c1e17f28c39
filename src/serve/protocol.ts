/**
 * The WebSocket protocol of `synth serve`, and its strict parser. Every client message is hostile until
 * proven otherwise: parseClientMessage accepts exactly the shapes below (no extra keys, bounded strings and
 * numbers) and returns a one-line reason for anything else; the connection stays usable.
 *
 * Server to client: JSON text frames (ServerMessage) and binary audio frames (encodeAudioFrame).
 */
export const LIMITS = {
  /** Largest WebSocket message (a recording upload, base64), bytes. */
  messageBytes: 2 * 1024 * 1024,
  /** A label file upload, characters. */
  labelChars: 64 * 1024,
  /** A recording upload (a WAV, base64), characters. */
  recordingChars: 1_500_000,
  /** Text to speak, characters. */
  textChars: 2000,
  /** Streams one connection may run at once. */
  streamsPerConnection: 4,
} as const;

export type LabelFormatName = 'phn' | 'lab' | 'segs' | 'TextGrid' | 'json';
const LABEL_FORMATS: readonly LabelFormatName[] = ['phn', 'lab', 'segs', 'TextGrid', 'json'];

export type Source =
  | { kind: 'demo'; name: string }
  | { kind: 'labels'; format: LabelFormatName; content: string; recording?: string }
  | { kind: 'text'; text: string };

export interface StartMessage {
  type: 'start';
  id: string;
  source: Source;
  condition?: 'phones' | 'recording';
  teacherForced?: boolean;
  temperature?: number;
  seed?: number;
  rngSeed?: number;
  /** The most audio the server may send ahead of what the client has played, ms. */
  aheadMs?: number;
}

export type ClientMessage =
  | StartMessage
  | { type: 'stop'; id: string }
  /** How many samples of stream `id` the client has played so far (flow control). */
  | { type: 'played'; id: string; samples: number }
  | { type: 'ping' };

export type ServerMessage =
  | { type: 'hello'; sampleRateHz: number; demos: string[]; model: string; backend: string; text: boolean; limits: typeof LIMITS }
  | { type: 'started'; id: string; lengthSamples: number; seedSamples: number; hasTruth: boolean; teacherForced: boolean; condition: string | null }
  | { type: 'drift'; id: string; frame: number; timeS: number; melDistDb: number | null }
  | { type: 'stats'; id: string; audioSeconds: number; rtf: number; chunkLatencyMs: number; firstAudioMs: number }
  | { type: 'end'; id: string; stopped: boolean; generatedSamples: number; firstAudioMs: number; melDistDb: number | null }
  | { type: 'error'; id?: string; code: string; message: string }
  | { type: 'pong' };

const ID = /^[A-Za-z0-9_-]{1,32}$/;

type Parsed = { ok: true; message: ClientMessage } | { ok: false; reason: string; id?: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The keys of `o` outside `allowed`, for the error message. */
function extraKeys(o: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(o).filter((k) => !allowed.includes(k));
}

function parseSource(v: unknown): Source | string {
  if (!isObject(v)) return 'source must be an object';
  if (v['kind'] === 'demo') {
    if (extraKeys(v, ['kind', 'name']).length) return `unknown key(s) in source: ${extraKeys(v, ['kind', 'name']).join(', ')}`;
    if (typeof v['name'] !== 'string' || !/^[\w.-]{1,64}$/.test(v['name'])) return 'source.name must be a demo name (letters, digits, _ . -)';
    return { kind: 'demo', name: v['name'] };
  }
  if (v['kind'] === 'labels') {
    const allowed = ['kind', 'format', 'content', 'recording'];
    if (extraKeys(v, allowed).length) return `unknown key(s) in source: ${extraKeys(v, allowed).join(', ')}`;
    if (!LABEL_FORMATS.includes(v['format'] as LabelFormatName)) return `source.format must be one of ${LABEL_FORMATS.join(', ')}`;
    if (typeof v['content'] !== 'string' || v['content'].length === 0 || v['content'].length > LIMITS.labelChars) return `source.content must be the label file's text, 1 to ${LIMITS.labelChars} characters`;
    if (v['recording'] !== undefined && (typeof v['recording'] !== 'string' || v['recording'].length > LIMITS.recordingChars || !/^[A-Za-z0-9+/=]*$/.test(v['recording']))) {
      return `source.recording must be a base64 WAV of at most ${LIMITS.recordingChars} characters`;
    }
    return { kind: 'labels', format: v['format'] as LabelFormatName, content: v['content'], ...(v['recording'] !== undefined ? { recording: v['recording'] as string } : {}) };
  }
  if (v['kind'] === 'text') {
    if (extraKeys(v, ['kind', 'text']).length) return `unknown key(s) in source: ${extraKeys(v, ['kind', 'text']).join(', ')}`;
    if (typeof v['text'] !== 'string' || v['text'].trim() === '' || v['text'].length > LIMITS.textChars) return `source.text must be 1 to ${LIMITS.textChars} characters`;
    return { kind: 'text', text: v['text'] };
  }
  return 'source.kind must be demo, labels or text';
}

const intIn = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Parse one text frame; anything not exactly one of the client messages is refused with a reason. */
export function parseClientMessage(raw: string): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(doc)) return { ok: false, reason: 'a message must be a JSON object' };
  const id = typeof doc['id'] === 'string' && ID.test(doc['id']) ? doc['id'] : undefined;
  const fail = (reason: string): Parsed => ({ ok: false, reason, ...(id ? { id } : {}) });
  switch (doc['type']) {
    case 'ping':
      return extraKeys(doc, ['type']).length ? fail('ping takes no other key') : { ok: true, message: { type: 'ping' } };
    case 'stop':
      if (extraKeys(doc, ['type', 'id']).length) return fail(`unknown key(s): ${extraKeys(doc, ['type', 'id']).join(', ')}`);
      return id ? { ok: true, message: { type: 'stop', id } } : fail('id must be 1 to 32 letters, digits, _ or -');
    case 'played':
      if (extraKeys(doc, ['type', 'id', 'samples']).length) return fail(`unknown key(s): ${extraKeys(doc, ['type', 'id', 'samples']).join(', ')}`);
      if (!id) return fail('id must be 1 to 32 letters, digits, _ or -');
      return intIn(doc['samples'], 0, 2 ** 31) ? { ok: true, message: { type: 'played', id, samples: doc['samples'] as number } } : fail('samples must be an integer >= 0');
    case 'start': {
      const allowed = ['type', 'id', 'source', 'condition', 'teacherForced', 'temperature', 'seed', 'rngSeed', 'aheadMs'];
      if (extraKeys(doc, allowed).length) return fail(`unknown key(s): ${extraKeys(doc, allowed).join(', ')}`);
      if (!id) return fail('id must be 1 to 32 letters, digits, _ or -');
      const source = parseSource(doc['source']);
      if (typeof source === 'string') return fail(source);
      const c = doc['condition'];
      if (c !== undefined && c !== 'phones' && c !== 'recording') return fail('condition must be phones or recording');
      if (doc['teacherForced'] !== undefined && typeof doc['teacherForced'] !== 'boolean') return fail('teacherForced must be true or false');
      const t = doc['temperature'];
      if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 5)) return fail('temperature must be a number in [0, 5]');
      if (doc['seed'] !== undefined && !intIn(doc['seed'], 0, 16000 * 60)) return fail('seed must be an integer in [0, 960000] samples');
      if (doc['rngSeed'] !== undefined && !intIn(doc['rngSeed'], 0, 2 ** 32 - 1)) return fail('rngSeed must be an integer in [0, 2^32)');
      if (doc['aheadMs'] !== undefined && !intIn(doc['aheadMs'], 100, 10000)) return fail('aheadMs must be an integer in [100, 10000]');
      const message: StartMessage = { type: 'start', id, source };
      if (c !== undefined) message.condition = c;
      if (doc['teacherForced'] !== undefined) message.teacherForced = doc['teacherForced'] as boolean;
      if (t !== undefined) message.temperature = t;
      if (doc['seed'] !== undefined) message.seed = doc['seed'] as number;
      if (doc['rngSeed'] !== undefined) message.rngSeed = doc['rngSeed'] as number;
      if (doc['aheadMs'] !== undefined) message.aheadMs = doc['aheadMs'] as number;
      return { ok: true, message };
    }
    default:
      return fail('type must be start, stop, played or ping');
  }
}

/** Binary audio frame kinds. */
export const FRAME_GENERATED = 1;
export const FRAME_TRUTH = 2;

/**
 * A binary frame: kind (u8), id length (u8), id (ASCII), padding to 4 bytes, start sample (u32 LE), then
 * float32 LE samples. The page decodes it with decodeAudioFrame.
 */
export function encodeAudioFrame(kind: number, id: string, startSample: number, samples: Float32Array): Uint8Array {
  const head = 2 + id.length;
  const pad = (4 - (head % 4)) % 4;
  const bytes = new Uint8Array(head + pad + 4 + samples.length * 4);
  bytes[0] = kind;
  bytes[1] = id.length;
  for (let i = 0; i < id.length; i++) bytes[2 + i] = id.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  view.setUint32(head + pad, startSample, true);
  new Float32Array(bytes.buffer, head + pad + 4, samples.length).set(samples);
  return bytes;
}

export function decodeAudioFrame(buffer: ArrayBuffer): { kind: number; id: string; startSample: number; samples: Float32Array } {
  const bytes = new Uint8Array(buffer);
  const idLength = bytes[1] as number;
  const id = String.fromCharCode(...bytes.subarray(2, 2 + idLength));
  const head = 2 + idLength;
  const pad = (4 - (head % 4)) % 4;
  const startSample = new DataView(buffer).getUint32(head + pad, true);
  return { kind: bytes[0] as number, id, startSample, samples: new Float32Array(buffer.slice(head + pad + 4)) };
}
