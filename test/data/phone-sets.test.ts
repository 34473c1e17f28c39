import { describe, expect, it } from 'vitest';
import { mapPhonesToSet } from '../../src/data/phones/phone-mapping.js';
import { PHONE_SETS } from '../../src/data/phones/phone-sets.js';

const segs = (phones: string[]) => phones.map((phone, i) => ({ startSample: i * 10, endSample: i * 10 + 10, phone, line: i + 1 }));

describe('phone sets', () => {
  it('has the 61 TIMIT symbols, the 39 folded classes and the radio set', () => {
    expect(PHONE_SETS.timit61.phones).toHaveLength(61);
    expect(PHONE_SETS.timit39.phones).toHaveLength(39);
    expect(PHONE_SETS.radio.phones).toContain('pau');
  });

  it('keeps labels already in the model set, with sil/h# as silence', () => {
    const r = mapPhonesToSet(segs(['sil', 'hh', 'ax', 'pau']), PHONE_SETS.radio, { path: 'a.lab' });
    expect(r.segments.map((s) => s.phone)).toEqual(['pau', 'hh', 'ax', 'pau']);
    expect(r.notes).toEqual([]);
  });

  it('maps TIMIT onto radio: closures join their stop, h# becomes pau, and adjacent copies merge', () => {
    const r = mapPhonesToSet(segs(['h#', 'dcl', 'd', 'ix', 'tcl', 'ch', 'ux', 'kcl', 'h#']), PHONE_SETS.radio, { path: 'x.phn' });
    expect(r.sourceSet).toBe('timit61');
    expect(r.segments.map((s) => [s.phone, s.startSample, s.endSample])).toEqual([
      ['pau', 0, 10], ['d', 10, 30], ['ih', 30, 40], ['ch', 40, 60], ['uw', 60, 70], ['k', 70, 80], ['pau', 80, 90],
    ]);
  });

  it('folds TIMIT 61 onto 39 classes and maps radio onto TIMIT', () => {
    expect(mapPhonesToSet(segs(['ix', 'bcl', 'zh', 'q']), PHONE_SETS.timit39, { path: 'x' }).segments.map((s) => s.phone)).toEqual(['ih', 'sil', 'sh', 'sil']);
    expect(mapPhonesToSet(segs(['sil', 'brth', 'aa']), PHONE_SETS.timit61, { path: 'x', sourceSet: 'radio' }).segments.map((s) => s.phone)).toEqual(['pau', 'aa']);
  });

  it('lists every unknown symbol, the model set and the way out', () => {
    try {
      mapPhonesToSet(segs(['aa', 'xx', 'yy', 'xx']), PHONE_SETS.radio, { path: 'bad.phn' });
      throw new Error('expected an error');
    } catch (error) {
      const e = error as { code: string; message: string; hint: string };
      expect(e.code).toBe('E_PHONES_UNKNOWN');
      expect(e.message).toMatch(/"xx" \(line 2\), "yy" \(line 3\)/);
      expect(e.message).toMatch(/model's set is: aa ae/);
      expect(e.hint).toMatch(/--phone-map/);
    }
  });

  it('applies a custom map first', () => {
    const r = mapPhonesToSet(segs(['xx', 'aa']), PHONE_SETS.radio, { path: 'x', customMap: { xx: 'ah' } });
    expect(r.segments.map((s) => s.phone)).toEqual(['ah', 'aa']);
  });
});
