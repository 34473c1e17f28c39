/**
 * The phone sets a model can be trained on, and the symbols each takes as another name for one of its
 * own (silences above all: TIMIT's h#/pau/epi, ARCTIC's sil/pau, an empty TextGrid interval).
 */
export type PhoneSetName = 'timit61' | 'timit39' | 'radio';

export const PHONE_SET_NAMES: readonly PhoneSetName[] = ['timit61', 'timit39', 'radio'];

export interface PhoneSet {
  name: PhoneSetName;
  /** Symbols in one-hot order. */
  phones: readonly string[];
  /** The symbol used for filled-in silence. */
  silence: string;
  /** Other spellings accepted as one of `phones`. */
  aliases: Readonly<Record<string, string>>;
  description: string;
}

/** TIMIT's 61 hand-labelling symbols. */
const TIMIT61 = [
  'aa', 'ae', 'ah', 'ao', 'aw', 'ax', 'ax-h', 'axr', 'ay', 'b', 'bcl', 'ch', 'd', 'dcl', 'dh', 'dx', 'eh', 'el',
  'em', 'en', 'eng', 'epi', 'er', 'ey', 'f', 'g', 'gcl', 'h#', 'hh', 'hv', 'ih', 'ix', 'iy', 'jh', 'k', 'kcl',
  'l', 'm', 'n', 'ng', 'nx', 'ow', 'oy', 'p', 'pau', 'pcl', 'q', 'r', 's', 'sh', 't', 'tcl', 'th', 'uh', 'uw',
  'ux', 'v', 'w', 'y', 'z', 'zh',
] as const;

/** The 39 classes of Lee and Hon (1989), with `sil` for closures and pauses. */
const TIMIT39 = [
  'aa', 'ae', 'ah', 'aw', 'ay', 'b', 'ch', 'd', 'dh', 'dx', 'eh', 'er', 'ey', 'f', 'g', 'hh', 'ih', 'iy', 'jh',
  'k', 'l', 'm', 'n', 'ng', 'ow', 'oy', 'p', 'r', 's', 'sh', 'sil', 't', 'th', 'uh', 'uw', 'v', 'w', 'y', 'z',
] as const;

/** Festival's "radio" set (CMU dictionary style) used by CMU ARCTIC and Festival voices. */
const RADIO = [
  'aa', 'ae', 'ah', 'ao', 'aw', 'ax', 'axr', 'ay', 'b', 'brth', 'ch', 'd', 'dh', 'dx', 'eh', 'el', 'em', 'en',
  'er', 'ey', 'f', 'g', 'hh', 'hv', 'ih', 'iy', 'jh', 'k', 'l', 'm', 'n', 'ng', 'nx', 'ow', 'oy', 'p', 'pau',
  'r', 's', 'sh', 't', 'th', 'uh', 'uw', 'v', 'w', 'y', 'z', 'zh',
] as const;

/** Lee and Hon's folding of the 61 TIMIT symbols onto 39 classes (`q`, the glottal stop, becomes sil). */
export const TIMIT61_TO_39: Readonly<Record<string, string>> = {
  ao: 'aa', ax: 'ah', 'ax-h': 'ah', axr: 'er', hv: 'hh', ix: 'ih', el: 'l', em: 'm', en: 'n', nx: 'n',
  eng: 'ng', zh: 'sh', ux: 'uw', pcl: 'sil', tcl: 'sil', kcl: 'sil', bcl: 'sil', dcl: 'sil', gcl: 'sil',
  'h#': 'sil', pau: 'sil', epi: 'sil', q: 'sil',
};

export const PHONE_SETS: Readonly<Record<PhoneSetName, PhoneSet>> = {
  timit61: {
    name: 'timit61',
    phones: TIMIT61,
    silence: 'h#',
    aliases: { '': 'h#', sil: 'h#', sp: 'pau' },
    description: 'TIMIT 61-symbol hand-labelling set',
  },
  timit39: {
    name: 'timit39',
    phones: TIMIT39,
    silence: 'sil',
    aliases: { '': 'sil', sp: 'sil', ...TIMIT61_TO_39 },
    description: 'TIMIT folded to 39 classes (Lee and Hon 1989)',
  },
  radio: {
    name: 'radio',
    phones: RADIO,
    silence: 'pau',
    aliases: { '': 'pau', sil: 'pau', 'h#': 'pau', sp: 'pau', ssil: 'pau' },
    description: 'CMU/Festival "radio" ARPAbet set (CMU ARCTIC, Festival voices)',
  },
};

export function getPhoneSet(name: string): PhoneSet | undefined {
  return (PHONE_SETS as Record<string, PhoneSet>)[name];
}

/** The set's own symbol for `symbol` (itself or through an alias), or undefined if it has none. */
export function canonicalPhone(set: PhoneSet, symbol: string): string | undefined {
  const lower = symbol.toLowerCase();
  if (set.phones.includes(lower)) return lower;
  return set.aliases[lower];
}
