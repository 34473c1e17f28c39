import { promises as fsp } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { InputError, describeSystemError } from '../../core/errors.js';
import { LABEL_EXTENSIONS } from '../labels/label-types.js';
import type { Corpus, CorpusLayout, UtteranceRef } from './corpus-types.js';

const AUDIO_EXTENSIONS = new Set(['.wav', '.sph']);
/** When several label files share an audio file's stem, the first in this order wins. */
const LABEL_PREFERENCE = ['.phn', '.lab', '.textgrid', '.segs', '.json'];
const MAX_DEPTH = 6;
const MAX_FILES = 200_000;

interface Found {
  audio: string[];
  labels: string[];
}

async function walk(root: string): Promise<Found> {
  const found: Found = { audio: [], labels: [] };
  let count = 0;
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (depth === 0) {
        throw new InputError({
          code: 'E_CORPUS_READ',
          where: dir,
          message: `cannot read the corpus folder (${describeSystemError(error)})`,
          hint: 'give the folder that holds the recordings and their label files',
          cause: error,
        });
      }
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await visit(path, depth + 1);
        continue;
      }
      if (!entry.isFile() || ++count > MAX_FILES) continue;
      const ext = extname(entry.name).toLowerCase();
      if (AUDIO_EXTENSIONS.has(ext)) found.audio.push(path);
      else if (ext in LABEL_EXTENSIONS) found.labels.push(path);
    }
  };
  await visit(root, 0);
  return found;
}

const stemOf = (path: string): string => basename(path, extname(path)).toLowerCase();

function pickLabel(candidates: string[]): string | undefined {
  return [...candidates].sort(
    (a, b) => LABEL_PREFERENCE.indexOf(extname(a).toLowerCase()) - LABEL_PREFERENCE.indexOf(extname(b).toLowerCase()),
  )[0];
}

/**
 * Find utterances under `root`: TIMIT (DRn/SPEAKER/UTT.WAV + .PHN, any case), ARCTIC (wav/ beside a label
 * folder; the label folder that covers most recordings wins), and flat pairs (x.wav + x.phn|lab|TextGrid|
 * segs|json). Ids are sorted, so every later step (splits, batches) is deterministic.
 */
export async function scanCorpus(root: string): Promise<Corpus> {
  let stat;
  try {
    stat = await fsp.stat(root);
  } catch (error) {
    throw new InputError({ code: 'E_CORPUS_READ', where: root, message: `the corpus folder does not exist (${describeSystemError(error)})`, cause: error });
  }
  if (!stat.isDirectory()) {
    throw new InputError({ code: 'E_CORPUS_READ', where: root, message: 'not a folder', hint: 'give the folder that holds the recordings' });
  }
  const found = await walk(root);
  const labelsByDirStem = new Map<string, string[]>();
  for (const label of found.labels) {
    const key = `${dirname(label)}\u0000${stemOf(label)}`;
    labelsByDirStem.set(key, [...(labelsByDirStem.get(key) ?? []), label]);
  }
  const utterances: UtteranceRef[] = [];
  const unlabelled: string[] = [];
  let arcticStyle = 0;
  // ARCTIC: for each wav/ folder, the sibling folder holding the most matching stems.
  const siblingChoice = new Map<string, string>();
  for (const wavDir of new Set(found.audio.map(dirname).filter((d) => basename(d).toLowerCase() === 'wav'))) {
    const parent = dirname(wavDir);
    const stems = new Set(found.audio.filter((a) => dirname(a) === wavDir).map(stemOf));
    const coverage = new Map<string, number>();
    for (const label of found.labels) {
      const labelDir = dirname(label);
      if (dirname(labelDir) === parent && labelDir !== wavDir && stems.has(stemOf(label))) {
        coverage.set(labelDir, (coverage.get(labelDir) ?? 0) + 1);
      }
    }
    const best = [...coverage.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (best) siblingChoice.set(wavDir, best[0]);
  }
  for (const audio of found.audio) {
    const dir = dirname(audio);
    let label = pickLabel(labelsByDirStem.get(`${dir}\u0000${stemOf(audio)}`) ?? []);
    let id = relative(root, audio).slice(0, -extname(audio).length).split(sep).join('/');
    const labelDir = siblingChoice.get(dir);
    if (!label && labelDir) {
      label = pickLabel(labelsByDirStem.get(`${labelDir}\u0000${stemOf(audio)}`) ?? []);
      if (label) {
        arcticStyle++;
        id = id.replace(/(^|\/)wav\/([^/]+)$/i, '$1$2');
      }
    }
    if (label) utterances.push({ id, audioPath: audio, labelPath: label });
    else unlabelled.push(audio);
  }
  utterances.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const timitStyle = utterances.filter((u) => /(^|\/)dr\d\/[^/]+\/[^/]+$/i.test(u.id)).length;
  const layout: CorpusLayout = arcticStyle > utterances.length / 2 ? 'arctic' : timitStyle > utterances.length / 2 ? 'timit' : 'flat';
  return { root, layout, utterances, unlabelled };
}

/** Select utterances by id: exact ids, or a unique id suffix (`arctic_a0001`, `fvmh0/sa1`). */
export function selectUtterances(corpus: Corpus, wanted: readonly string[]): UtteranceRef[] {
  return wanted.map((name) => {
    const exact = corpus.utterances.find((u) => u.id === name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    const matches = corpus.utterances.filter((u) => u.id.toLowerCase() === lower || u.id.toLowerCase().endsWith(`/${lower}`));
    if (matches.length === 1) return matches[0] as UtteranceRef;
    const sample = corpus.utterances.slice(0, 5).map((u) => u.id).join(', ');
    throw new InputError({
      code: matches.length === 0 ? 'E_UTTERANCE_UNKNOWN' : 'E_UTTERANCE_AMBIGUOUS',
      where: corpus.root,
      message:
        matches.length === 0
          ? `no utterance "${name}" among ${corpus.utterances.length} (for example: ${sample})`
          : `"${name}" matches ${matches.length} utterances: ${matches.map((m) => m.id).slice(0, 5).join(', ')}`,
      hint: 'run `synth data stats DIR --list` to see the ids',
    });
  });
}
