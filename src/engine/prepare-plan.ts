import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FormatError, InputError, MismatchError, UsageError, describeSystemError } from '../core/errors.js';
import type { ModelManifest } from '../core/manifest.js';
import { readAudioFile } from '../data/audio/read-audio.js';
import { ACOUSTIC_HOP_SAMPLES, ACOUSTIC_WIDTH, acousticFrameCount, allocateExcitation, excitationFrames, measureAcousticFrames } from '../data/features/acoustic-frames.js';
import { isAcoustic, usesRecording } from '../data/features/feature-layout.js';
import { buildPhoneTrack, type PhoneTrack, type ProsodyTrack } from '../data/features/phone-track.js';
import { completeSegmentation, silenceSymbolOf } from '../data/labels/complete-segmentation.js';
import type { LabelFormat, PhoneSegment } from '../data/labels/label-types.js';
import { readLabelFile } from '../data/labels/read-labels.js';
import { mapPhonesToSet } from '../data/phones/phone-mapping.js';
import { getPhoneSet, type PhoneSetName } from '../data/phones/phone-sets.js';
import type { GenerationPlan } from './generation-plan.js';

export interface SynthesisInput {
  phonesPath: string;
  /** K: samples of the recording to start from (0 = silence). */
  seedSamples: number;
  wavPath?: string;
  labelFormat?: LabelFormat;
  tier?: string;
  /** The set the labels use, when it is not the model's. */
  phoneSet?: PhoneSetName;
  /** JSON file mapping label symbols to the model's. */
  phoneMapPath?: string;
  channel?: number;
  /** Pitch features, for models with the prosody feature set. */
  prosodyOf?: (samples: Float32Array, sampleRateHz: number) => ProsodyTrack;
  /**
   * Acoustic models: where the frame features come from: `phones` (the frame network predicts them from
   * the labels; a recording gives only the seed and the drift figures) or `recording` (measured on it:
   * copy synthesis, a neural vocoder). Default: phones.
   */
  condition?: Condition;
}

export type Condition = 'phones' | 'recording';
export const CONDITIONS: readonly Condition[] = ['phones', 'recording'];

export interface PreparedPlan extends GenerationPlan {
  /** Phone segments in the model's set, tiling [0, lengthSamples). */
  segments: PhoneSegment[];
  wavPath?: string;
  warnings: string[];
  notes: string[];
}

/**
 * Room for the acoustic frames of `lengthSamples` that the engine's frame network fills block by block,
 * ahead of the sample loop (a plan built this way sets framesFromNetwork).
 */
export function allocatePredictedFrames(track: PhoneTrack, lengthSamples: number): void {
  const count = acousticFrameCount(lengthSamples, ACOUSTIC_HOP_SAMPLES);
  track.frames = { hopSamples: ACOUSTIC_HOP_SAMPLES, count, width: ACOUSTIC_WIDTH, values: new Float32Array(count * ACOUSTIC_WIDTH) };
  track.excitation = allocateExcitation(count, ACOUSTIC_HOP_SAMPLES);
}

/** The recording that belongs to a label file: same folder, or a wav/ folder beside it (ARCTIC). */
export function findRecording(phonesPath: string): { found?: string; tried: string[] } {
  const stem = basename(phonesPath, extname(phonesPath));
  const dir = dirname(phonesPath);
  const tried: string[] = [];
  for (const folder of [dir, join(dir, '..', 'wav'), join(dir, 'wav')]) {
    for (const ext of ['.wav', '.WAV', '.sph', '.SPH']) {
      const candidate = join(folder, `${stem}${ext}`);
      tried.push(candidate);
      if (existsSync(candidate)) return { found: candidate, tried };
    }
  }
  return { tried };
}

function readPhoneMap(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError({ code: 'E_PHONE_MAP', where: path, message: `cannot read the phone map (${describeSystemError(error)})`, hint: 'give a JSON object like {"ax-h": "ax"}' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new FormatError({ code: 'E_PHONE_MAP', where: path, message: 'the phone map must be a JSON object of strings', hint: 'e.g. {"ax-h": "ax", "q": "pau"}' });
  }
  return parsed as Record<string, string>;
}

/**
 * Read and check everything a synthesis needs, once, at the boundary: the labels (any supported format,
 * mapped onto the model's phone set), the recording (for the seed, teacher forcing and drift metrics) and
 * the seed length. Fewer seed samples than the model's window k is allowed: the window starts with
 * silence, as in training.
 */
export async function preparePlan(manifest: ModelManifest, input: SynthesisInput): Promise<PreparedPlan> {
  const rate = manifest.spec.sampleRateHz;
  const K = input.seedSamples;
  if (!Number.isInteger(K) || K < 0) {
    throw new UsageError({ code: 'E_OPTION_RANGE', where: '--seed', message: `got ${K}, allowed an integer >= 0 (samples of the recording to start from)` });
  }
  const set = getPhoneSet(manifest.spec.phoneSet);
  if (!set || set.phones.join(' ') !== manifest.features.phones.join(' ')) {
    throw new MismatchError({ code: 'E_MODEL_PHONES', message: `the model's phone list does not match phone set "${manifest.spec.phoneSet}"`, hint: 're-train or re-export the model' });
  }
  const labels = await readLabelFile(input.phonesPath, { sampleRateHz: rate, ...(input.labelFormat ? { format: input.labelFormat } : {}), ...(input.tier ? { tier: input.tier } : {}) });
  const warnings = [...labels.warnings];
  const located = input.wavPath === undefined ? findRecording(input.phonesPath) : undefined;
  const wavPath = input.wavPath ?? located?.found;
  const acoustic = isAcoustic(manifest.spec.featureSet);
  const condition = input.condition ?? 'phones';
  if (condition === 'recording' && !acoustic) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: '--condition', message: `got "recording", but this model (feature set ${manifest.spec.featureSet}) is not conditioned on acoustic frames`, hint: 'leave --condition out for this model, or use a vocoder bundle (feature set acoustic)' });
  }
  const fromRecording = usesRecording(manifest.spec.featureSet) || (acoustic && condition === 'recording');
  const needsRecording = K > 0 || fromRecording;
  if (wavPath === undefined && needsRecording) {
    const tried = (located?.tried ?? []).slice(0, 2).join(', ');
    throw new MismatchError({
      code: 'E_SEED_NO_AUDIO',
      where: input.phonesPath,
      message:
        K > 0
          ? `--seed ${K} needs a recording to take ${K} samples from, and none was found (looked for ${tried})`
          : acoustic
            ? `--condition recording measures the frame features on a recording, and none was found (looked for ${tried})`
            : `this model uses prosody features, which come from the recording, and none was found (looked for ${tried})`,
      hint: acoustic && K === 0
        ? 'give the recording with --wav FILE, or use --condition phones (the frame network predicts the features from the labels)'
        : fromRecording
          ? `give the recording with --wav FILE (the model reads F0, voicing and energy from it), or use a model trained with --features seed or rich`
          : 'give the recording with --wav FILE, or use --seed 0 to start from silence',
    });
  }
  const audio = wavPath ? await readAudioFile(wavPath, { expectedSampleRateHz: rate, ...(input.channel !== undefined ? { channel: input.channel } : {}) }) : undefined;
  if (audio) {
    warnings.push(...audio.warnings);
    if (audio.samples.length === 0) throw new FormatError({ code: 'E_WAV_EMPTY', where: audio.path, message: 'the recording has zero samples' });
  }
  const completed = completeSegmentation(labels.segments, {
    path: input.phonesPath,
    sampleRateHz: rate,
    silencePhone: silenceSymbolOf(labels.segments),
    ...(audio ? { lengthSamples: audio.samples.length } : {}),
  });
  warnings.push(...completed.warnings);
  const mapped = mapPhonesToSet(completed.segments, set, {
    path: input.phonesPath,
    ...(input.phoneSet ? { sourceSet: input.phoneSet } : {}),
    ...(input.phoneMapPath ? { customMap: readPhoneMap(input.phoneMapPath) } : {}),
  });
  const lengthSamples = audio ? audio.samples.length : (completed.segments[completed.segments.length - 1]?.endSample ?? 0);
  if (audio && K > audio.samples.length) {
    throw new MismatchError({
      code: 'E_SEED_TOO_LONG',
      where: '--seed',
      message: `--seed ${K} is longer than the recording (${audio.samples.length} samples, ${(audio.samples.length / rate).toFixed(3)} s)`,
      hint: `use at most ${audio.samples.length}`,
    });
  }
  const prosody = fromRecording && !acoustic && audio && input.prosodyOf ? input.prosodyOf(audio.samples, rate) : undefined;
  if (fromRecording && !acoustic && !prosody) {
    throw new MismatchError({ code: 'E_PROSODY', message: 'this model needs prosody features and no pitch tracker was given' });
  }
  const track = buildPhoneTrack(mapped.segments, set, rate, prosody);
  let framesFromNetwork = false;
  if (acoustic && condition === 'recording' && audio) {
    track.frames = measureAcousticFrames(audio.samples, rate);
    track.excitation = excitationFrames(track.frames, rate);
  } else if (acoustic) {
    if (!manifest.frame?.graph) {
      throw new MismatchError({ code: 'E_NO_FRAME_NETWORK', where: '--condition', message: 'this vocoder bundle has no frame network (frame.onnx), so it cannot speak from phones alone', hint: 'use --condition recording with --wav FILE, or train one with `synth train-frames`' });
    }
    allocatePredictedFrames(track, lengthSamples);
    framesFromNetwork = true;
  }
  return {
    lengthSamples,
    seed: audio ? audio.samples.slice(0, K) : new Float32Array(0),
    ...(audio ? { truth: audio.samples, wavPath: audio.path } : {}),
    track,
    ...(framesFromNetwork ? { framesFromNetwork } : {}),
    segments: mapped.segments,
    warnings,
    notes: mapped.notes,
  };
}
