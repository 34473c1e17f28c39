import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { OutputError, UsageError, describeSystemError } from '../../core/errors.js';
import { inspectRiffWav } from '../audio/riff-wav-reader.js';
import { decodeAudio } from '../audio/read-audio.js';
import { checkRecording } from '../audio/recording-checks.js';
import { scanCorpus } from './scan-corpus.js';

export interface RepairEntry {
  utterance: string;
  file: string;
  kind: 'byte-order';
  /** [start, end) sample ranges whose bytes were swapped back. */
  ranges: Array<[number, number]>;
}

export interface RepairReport {
  source: string;
  out: string;
  repaired: RepairEntry[];
  /** Problems found that this command does not repair (clipping, DC offset, silence, level, other formats). */
  notRepaired: Array<{ utterance: string; kind: string; message: string }>;
}

/**
 * Write a repaired copy of a corpus: every file copied as it is, then recordings with byte-order damage
 * rewritten with the swapped stretches' bytes swapped back (16-bit little-endian RIFF files; the header and
 * every other byte are kept), and repairs.json listing what changed. The source folder is never written.
 */
export async function repairCorpus(sourceDir: string, outDir: string): Promise<RepairReport> {
  const source = resolve(sourceDir);
  const out = resolve(outDir);
  if (out === source || out.startsWith(source + sep) || source.startsWith(out + sep)) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: '--out', message: `got ${outDir}, which is ${out === source ? 'the corpus folder itself' : 'inside the corpus folder or contains it'}; the source is never written`, hint: 'give a folder outside the corpus' });
  }
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new UsageError({ code: 'E_OPTION_VALUE', where: '--out', message: `${outDir} exists and is not an empty folder`, hint: 'give a new or empty folder' });
  }
  const corpus = await scanCorpus(source);
  try {
    mkdirSync(out, { recursive: true });
    cpSync(source, out, { recursive: true });
  } catch (error) {
    throw new OutputError({ code: 'E_WRITE', where: outDir, message: `cannot copy the corpus (${describeSystemError(error)})`, hint: 'check the free space and permissions' });
  }
  const report: RepairReport = { source: sourceDir, out: outDir, repaired: [], notRepaired: [] };
  for (const ref of corpus.utterances) {
    const bytes = new Uint8Array(readFileSync(ref.audioPath));
    let problems;
    try {
      problems = checkRecording(decodeAudio(bytes, ref.audioPath).samples);
    } catch {
      continue; // unreadable: `synth data stats` reports it; there is nothing to repair here
    }
    for (const p of problems) {
      if (p.kind !== 'byte-order' || !p.ranges) {
        report.notRepaired.push({ utterance: ref.id, kind: p.kind, message: p.message });
        continue;
      }
      const layout = String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' ? inspectRiffWav(bytes, ref.audioPath) : undefined;
      if (!layout || layout.bitsPerSample !== 16 || layout.channelCount !== 1) {
        report.notRepaired.push({ utterance: ref.id, kind: p.kind, message: `${p.message} (only mono 16-bit RIFF files are repaired)` });
        continue;
      }
      for (const [start, end] of p.ranges) {
        for (let i = start; i < end; i++) {
          const at = layout.dataOffset + 2 * i;
          const low = bytes[at] as number;
          bytes[at] = bytes[at + 1] as number;
          bytes[at + 1] = low;
        }
      }
      const file = relative(source, ref.audioPath);
      await writeFileAtomic(join(out, file), bytes);
      report.repaired.push({ utterance: ref.id, file, kind: 'byte-order', ranges: p.ranges });
    }
  }
  await writeFileAtomic(join(out, 'repairs.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
