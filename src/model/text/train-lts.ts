import { editDistance } from '../../core/edit-distance.js';
import { Rng } from '../../core/rng.js';
import { alignLexicon, EMPTY } from '../../text/letter-alignment.js';
import { toRadio, type Dictionary } from '../../text/lexicon.js';
import { LetterToSound, ltsInputIndices, ltsInputWidth, type LtsWeights } from '../../text/lts-model.js';
import type { Tf } from '../tf-backend.js';

export interface LtsTrainingResult {
  weights: LtsWeights;
  trainWords: number;
  heldOutWords: number;
  /** On the held-out words: the share pronounced exactly as the dictionary says (phones, stress ignored), and the phone error rate. */
  wordAccuracyPct: number;
  perPct: number;
  seconds: number;
}

/** Chunks seen fewer times than this become their most frequent single phone (or nothing). */
const MIN_CHUNK_COUNT = 20;


/**
 * Train letter-to-sound on a dictionary: words of letters and apostrophes only, a seeded `heldOut` share
 * kept out and scored; letters aligned to phone chunks (letter-alignment.ts); one ReLU layer of `hidden`
 * units trained with Adam on the letter windows.
 */
export async function trainLetterToSound(tf: Tf, dictionary: Dictionary, options: { hidden?: number; epochs?: number; heldOut?: number; seed?: number; onEpoch?: (epoch: number, loss: number) => void } = {}): Promise<LtsTrainingResult> {
  const began = performance.now();
  const hidden = options.hidden ?? 256;
  const rng = new Rng(options.seed ?? 1);
  const words = rng.shuffle(Object.keys(dictionary).filter((w) => /^[a-z']+$/.test(w)));
  const heldCount = Math.round(words.length * (options.heldOut ?? 0.05));
  const held = words.slice(0, heldCount);
  const train = words.slice(heldCount);
  const entries = train.map((w) => {
    const p = toRadio(dictionary[w] as string);
    return { letters: w, phones: p.phones.map((phone, i) => ((p.stress[i] as number) >= 0 ? `${phone}${p.stress[i]}` : phone)) };
  });
  // Align without stress (the letters do not spell it), then put the stress back on the chunks.
  const unstressed = entries.map((e) => ({ letters: e.letters, phones: e.phones.map((p) => p.replace(/[012]$/, '')) }));
  const aligned = alignLexicon(unstressed, 4);
  const byWord = new Map(entries.map((e) => [e.letters, e.phones]));
  const examples: Array<{ word: string; i: number; chunk: string }> = [];
  for (const a of aligned) {
    const stressed = byWord.get(a.letters) as string[];
    let j = 0;
    a.chunks.forEach((chunk, i) => {
      const n = chunk === EMPTY ? 0 : chunk.split('+').length;
      examples.push({ word: a.letters, i, chunk: n === 0 ? EMPTY : stressed.slice(j, j + n).join('+') });
      j += n;
    });
  }
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.chunk, (counts.get(e.chunk) ?? 0) + 1);
  const classes = [...counts].filter(([, n]) => n >= MIN_CHUNK_COUNT).map(([c]) => c).sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const labelOf = (chunk: string): number => index.get(chunk) ?? index.get(chunk.split('+')[0] as string) ?? (index.get(EMPTY) as number);
  const I = ltsInputWidth();
  const C = classes.length;
  const w1 = tf.variable(tf.randomUniform([I, hidden], -Math.sqrt(6 / (I + hidden)), Math.sqrt(6 / (I + hidden)), 'float32', 1));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.randomUniform([hidden, C], -Math.sqrt(6 / (hidden + C)), Math.sqrt(6 / (hidden + C)), 'float32', 2));
  const b2 = tf.variable(tf.zeros([C]));
  const optimizer = tf.train.adam(2e-3);
  const BATCH = 1024;
  const x = new Float32Array(BATCH * I);
  const y = new Int32Array(BATCH);
  for (let epoch = 1; epoch <= (options.epochs ?? 3); epoch++) {
    const order = rng.shuffle(examples.map((_, i) => i));
    let sum = 0;
    let batches = 0;
    for (let start = 0; start + BATCH <= order.length; start += BATCH) {
      x.fill(0);
      for (let r = 0; r < BATCH; r++) {
        const e = examples[order[start + r] as number] as (typeof examples)[number];
        for (const k of ltsInputIndices(e.word, e.i)) x[r * I + k] = 1;
        y[r] = labelOf(e.chunk);
      }
      const loss = optimizer.minimize(() => {
        const xs = tf.tensor2d(x, [BATCH, I]);
        const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xs, w1), b1)), w2), b2);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), C), logits) as import('@tensorflow/tfjs').Scalar;
      }, true);
      sum += (loss as import('@tensorflow/tfjs').Scalar).dataSync()[0] as number;
      loss?.dispose();
      batches++;
    }
    options.onEpoch?.(epoch, sum / Math.max(1, batches));
  }
  const weights: LtsWeights = {
    hidden,
    classes,
    w1: w1.dataSync().slice() as Float32Array,
    b1: b1.dataSync().slice() as Float32Array,
    w2: w2.dataSync().slice() as Float32Array,
    b2: b2.dataSync().slice() as Float32Array,
  };
  for (const v of [w1, b1, w2, b2]) v.dispose();
  optimizer.dispose();
  // Score on the held-out words, phones without stress, as the dictionary spells them.
  const model = new LetterToSound(weights);
  let exact = 0;
  let errors = 0;
  let total = 0;
  for (const w of held) {
    const ref = toRadio(dictionary[w] as string).phones;
    const hyp = model.pronounce(w).phones;
    const e = editDistance(ref, hyp);
    if (e === 0) exact++;
    errors += e;
    total += ref.length;
  }
  return {
    weights,
    trainWords: train.length,
    heldOutWords: held.length,
    wordAccuracyPct: held.length > 0 ? (100 * exact) / held.length : Number.NaN,
    perPct: total > 0 ? (100 * errors) / total : Number.NaN,
    seconds: (performance.now() - began) / 1000,
  };
}
