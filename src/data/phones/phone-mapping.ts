import { MismatchError } from '../../core/errors.js';
import type { PhoneSegment } from '../labels/label-types.js';
import { canonicalPhone, getPhoneSet, PHONE_SET_NAMES, PHONE_SETS, TIMIT61_TO_39, type PhoneSet, type PhoneSetName } from './phone-sets.js';

const STOP_OF_CLOSURE: Readonly<Record<string, string>> = { bcl: 'b', dcl: 'd', gcl: 'g', pcl: 'p', tcl: 't', kcl: 'k' };
const RELEASES = new Set(['b', 'd', 'g', 'p', 't', 'k', 'ch', 'jh']);

/** TIMIT symbols with no radio equivalent, and what stands in for them. */
const TIMIT61_TO_RADIO_EXTRA: Readonly<Record<string, string>> = {
  'ax-h': 'ax', eng: 'ng', ix: 'ih', ux: 'uw', epi: 'pau', 'h#': 'pau', q: 'pau',
};

/**
 * Map one symbol of `from` onto `to`. TIMIT closures take the stop they close (CMU-style labels count the
 * closure as part of the stop): `tcl ch` becomes `ch ch`, a lone `tcl` becomes `t`.
 */
function mapSymbol(from: PhoneSetName, to: PhoneSetName, phone: string, next: string | undefined): string | undefined {
  if (from === to) return phone;
  if (from === 'timit61') {
    if (to === 'timit39') return TIMIT61_TO_39[phone] ?? phone;
    const closure = STOP_OF_CLOSURE[phone];
    if (closure) return next !== undefined && RELEASES.has(next) ? next : closure;
    return TIMIT61_TO_RADIO_EXTRA[phone] ?? phone;
  }
  if (from === 'radio') {
    const as61 = phone === 'brth' ? 'pau' : phone;
    return to === 'timit61' ? as61 : (TIMIT61_TO_39[as61] ?? as61);
  }
  // timit39 is a subset of both other sets apart from its silence class.
  if (phone === 'sil') return to === 'timit61' ? 'h#' : 'pau';
  return phone;
}

export interface PhoneMappingResult {
  segments: PhoneSegment[];
  /** The set the labels were read as (`custom` for a user map). */
  sourceSet: PhoneSetName | 'custom';
  notes: string[];
}

export interface MapPhonesOptions {
  /** The set the labels use; detected when absent. */
  sourceSet?: PhoneSetName;
  /** A user mapping applied first: symbol in the labels -> symbol of the model's set. */
  customMap?: Readonly<Record<string, string>>;
  /** For messages. */
  path: string;
}

function unknownSymbols(set: PhoneSet, phones: readonly string[]): string[] {
  return [...new Set(phones.filter((p) => canonicalPhone(set, p) === undefined))];
}

/**
 * Put label phones into the model's phone set: unchanged when every symbol is in it, else through the
 * table of the known set the labels belong to. Adjacent segments that become the same phone are merged.
 * Unknown symbols are an error listing all of them and the model's set.
 */
export function mapPhonesToSet(segments: readonly PhoneSegment[], target: PhoneSet, options: MapPhonesOptions): PhoneMappingResult {
  const custom = options.customMap;
  const input = custom ? segments.map((s) => ({ ...s, phone: custom[s.phone] ?? s.phone })) : segments.map((s) => ({ ...s }));
  const phones = input.map((s) => s.phone.toLowerCase());
  let source: PhoneSet | undefined = options.sourceSet ? PHONE_SETS[options.sourceSet] : undefined;
  if (!source) {
    if (unknownSymbols(target, phones).length === 0) source = target;
    else source = PHONE_SET_NAMES.map((n) => PHONE_SETS[n]).find((set) => set !== target && unknownSymbols(set, phones).length === 0);
  }
  const unknown = unknownSymbols(source ?? target, phones);
  if (!source || unknown.length > 0) {
    const listed = unknown.length > 0 ? unknown : unknownSymbols(target, phones);
    const lines = listed.map((p) => {
      const seg = input.find((s) => s.phone.toLowerCase() === p);
      return `"${p}"${seg?.line ? ` (line ${seg.line})` : ''}`;
    });
    throw new MismatchError({
      code: 'E_PHONES_UNKNOWN',
      where: options.path,
      message: `${listed.length} phone symbol(s) not in the model's set ${target.name} nor in any known set (${PHONE_SET_NAMES.join(', ')}): ${lines.join(', ')}; the model's set is: ${target.phones.join(' ')}`,
      hint: 'map them with --phone-map FILE.json ({"symbol": "model symbol"}), or --phone-set NAME if the labels use a known set',
    });
  }
  const sourceCanonical = input.map((s) => canonicalPhone(source!, s.phone) as string);
  const mapped: PhoneSegment[] = [];
  for (let i = 0; i < input.length; i++) {
    const seg = input[i] as PhoneSegment;
    const inSource = sourceCanonical[i] as string;
    const toSymbol = mapSymbol(source.name, target.name, inSource, sourceCanonical[i + 1]);
    const phone = toSymbol !== undefined ? canonicalPhone(target, toSymbol) : undefined;
    if (phone === undefined) {
      throw new MismatchError({
        code: 'E_PHONES_UNMAPPED',
        where: seg.line ? `${options.path}:${seg.line}` : options.path,
        message: `phone "${seg.phone}" of set ${source.name} has no counterpart in ${target.name}`,
        hint: 'give one with --phone-map FILE.json',
      });
    }
    const last = mapped[mapped.length - 1];
    if (last && last.phone === phone && last.endSample === seg.startSample && source !== target) {
      mapped[mapped.length - 1] = { ...last, endSample: seg.endSample };
    } else {
      mapped.push({ ...seg, phone });
    }
  }
  const notes = source !== target ? [`labels read as ${source.name} and mapped onto ${target.name}`] : [];
  return { segments: mapped, sourceSet: custom ? 'custom' : source.name, notes };
}

export function phoneSetOrThrow(name: string): PhoneSet {
  const set = getPhoneSet(name);
  if (!set) {
    throw new MismatchError({ code: 'E_PHONE_SET', message: `unknown phone set "${name}"; allowed: ${PHONE_SET_NAMES.join(', ')}` });
  }
  return set;
}
