import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MismatchError, ModelError } from '../core/errors.js';
import type { ManifestText, ModelManifest } from '../core/manifest.js';
import { buildPhoneTrack } from '../data/features/phone-track.js';
import type { PhoneSegment } from '../data/labels/label-types.js';
import { getPhoneSet, type PhoneSet } from '../data/phones/phone-sets.js';
import { DURATION_REFERENCE_S, durationInputs, durationInputWidth, isPause } from '../text/duration-features.js';
import { Lexicon, loadDictionary } from '../text/lexicon.js';
import { LetterToSound, type LtsWeights } from '../text/lts-model.js';
import type { NormalizedSentence } from '../text/normalize.js';
import { normalizeText } from '../text/normalize.js';
import { pauseInputs, PAUSE_FEATURES } from '../text/pause-features.js';
import { phonetizeSentence, sentencePhones, type TextPhone } from '../text/phonetize.js';
import { ortSessionOptions } from './ort-session-options.js';
import { allocatePredictedFrames, type PreparedPlan } from './prepare-plan.js';

/** A sentence made ready to speak: its timed phones and what was guessed or left out. */
export interface TextSentencePlan {
  source: string;
  phones: TextPhone[];
  segments: PhoneSegment[];
  /** Words spoken by letter-to-sound. */
  guessed: string[];
}

/** The letter-to-sound network from lts.bin: w1 [inputs, hidden], b1, w2 [hidden, classes], b2, one after the other. */
export function letterToSoundOf(raw: Uint8Array, entry: { inputs: number; hidden: number; classes: string[] }): LetterToSound {
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const { hidden, classes, inputs } = entry;
  const sizes = [inputs * hidden, hidden, hidden * classes.length, classes.length];
  const parts: Float32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(values.subarray(at, at + size));
    at += size;
  }
  const [w1, b1, w2, b2] = parts as [Float32Array, Float32Array, Float32Array, Float32Array];
  const weights: LtsWeights = { hidden, classes, w1, b1, w2, b2 };
  return new LetterToSound(weights);
}

/**
 * The text front end of a bundle: normalization, the lexicon with letter-to-sound, the pause model and the
 * duration model (ONNX graphs in the bundle, run by onnxruntime), giving timed phone sequences sentence by
 * sentence. Load once (the dictionary takes a few hundred milliseconds); `plan` is fast.
 */
export class TextFrontEnd {
  private constructor(
    readonly text: ManifestText,
    private readonly set: PhoneSet,
    readonly lexicon: Lexicon,
    private readonly lts: LetterToSound | undefined,
    private readonly duration: ort.InferenceSession,
    private readonly pause: ort.InferenceSession,
  ) {}

  static async load(dir: string, manifest: ModelManifest): Promise<TextFrontEnd> {
    const text = manifest.text;
    if (!text) {
      throw new MismatchError({ code: 'E_NO_TEXT_MODELS', where: dir, message: 'this bundle has no text front end (duration and pause models)', hint: 'train them with `synth train-text`, or give labels with --phones' });
    }
    const set = getPhoneSet(text.phoneSet);
    if (!set) throw new ModelError({ code: 'E_MODEL_MANIFEST', where: dir, message: `unknown phone set ${text.phoneSet} in the text section` });
    const read = (file: string): Uint8Array => {
      try {
        return readFileSync(join(dir, file));
      } catch (error) {
        throw new ModelError({ code: 'E_MODEL_MISSING', where: join(dir, file), message: `cannot read the text model (${(error as Error).message})`, hint: 're-run `synth train-text` on the bundle' });
      }
    };
    const duration = await ort.InferenceSession.create(read(text.duration.file), ortSessionOptions());
    const pause = await ort.InferenceSession.create(read(text.pause.file), ortSessionOptions());
    const lts = text.lts ? letterToSoundOf(read(text.lts.file), text.lts) : undefined;
    const frontEnd = new TextFrontEnd(text, set, new Lexicon(await loadDictionary()), lts, duration, pause);
    // One sentence at load (a pause, a word by letter-to-sound): the first real one then starts warm.
    for (const sentence of frontEnd.normalize('Warm, zorbly up.').sentences) await frontEnd.plan(sentence);
    return frontEnd;
  }

  /** Normalize text into sentences (with warnings for what cannot be read). */
  normalize(text: string): { sentences: NormalizedSentence[]; warnings: string[] } {
    return normalizeText(text, (w) => this.lexicon.has(w));
  }

  /** A whole text as one sentence (its sentences' words and breaks in a row), to speak as one stream; undefined when it has no words. */
  oneSentence(text: string): NormalizedSentence | undefined {
    const { sentences } = this.normalize(text);
    return sentences.length > 0 ? { source: text, items: sentences.flatMap((s) => s.items) } : undefined;
  }

  /** One sentence's timed phones: pronunciations, pauses where the pause model says, durations. */
  async plan(sentence: NormalizedSentence): Promise<TextSentencePlan> {
    const phonetized = phonetizeSentence(sentence, this.lexicon, this.lts);
    const pauseAfter = new Set<number>();
    if (phonetized.breaks.length > 0) {
      const F = PAUSE_FEATURES.length;
      const out = await this.pause.run({ inputs: new ort.Tensor('float32', pauseInputs(phonetized), [phonetized.breaks.length, F]) });
      const p = out['outputs']!.data as Float32Array;
      phonetized.breaks.forEach((b, i) => {
        if ((p[i] as number) >= this.text.pauseThreshold) pauseAfter.add(b.afterWord);
      });
    }
    const phones = sentencePhones(phonetized, pauseAfter, this.set.silence);
    const durations = await this.durations(phones);
    return { source: sentence.source, phones, segments: toSegments(phones, durations, this.text), guessed: phonetized.guessed };
  }

  /** Predicted durations (seconds) of phones in this front end's phone set. */
  async durations(phones: readonly TextPhone[]): Promise<Float32Array> {
    const width = durationInputWidth(this.set.phones.length);
    const out = await this.duration.run({ inputs: new ort.Tensor('float32', durationInputs(phones, this.set.phones), [phones.length, width]) });
    const y = out['outputs']!.data as Float32Array;
    return Float32Array.from(y, (v) => DURATION_REFERENCE_S * Math.exp(v));
  }

  async dispose(): Promise<void> {
    await this.duration.release();
    await this.pause.release();
  }
}

/** Phones and durations to contiguous segments in samples; edge pauses take the bundle's fixed lengths. */
export function toSegments(phones: readonly TextPhone[], durationsS: Float32Array, text: Pick<ManifestText, 'edgePauseS'>, sampleRateHz = 16000): PhoneSegment[] {
  const segments: PhoneSegment[] = [];
  let at = 0;
  phones.forEach((p, i) => {
    const edge = (i === 0 || i === phones.length - 1) && isPause(p.phone);
    const seconds = edge ? (i === 0 ? text.edgePauseS[0] : text.edgePauseS[1]) : (durationsS[i] as number);
    const length = Math.max(80, Math.round(seconds * sampleRateHz));
    segments.push({ startSample: at, endSample: at + length, phone: p.phone });
    at += length;
  });
  return segments;
}

/** A synthesis plan for one sentence of a vocoder bundle (frames predicted by its frame network). */
export function textSentencePlan(manifest: ModelManifest, sentence: TextSentencePlan): PreparedPlan {
  const set = getPhoneSet(manifest.spec.phoneSet) as PhoneSet;
  const last = sentence.segments[sentence.segments.length - 1];
  const lengthSamples = last ? last.endSample : 0;
  const track = buildPhoneTrack(sentence.segments, set, manifest.spec.sampleRateHz);
  if (!manifest.frame?.graph) {
    throw new MismatchError({ code: 'E_NO_FRAME_NETWORK', message: 'speaking text needs a bundle with a frame network (frame.onnx)', hint: 'use the shipped default model, or train one with `synth train-frames`' });
  }
  allocatePredictedFrames(track, lengthSamples);
  return { lengthSamples, seed: new Float32Array(0), track, framesFromNetwork: true, segments: sentence.segments, warnings: [], notes: [] };
}
