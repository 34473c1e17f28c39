import { createReadStream } from 'node:fs';
import { InputError, UsageError, describeSystemError } from '../core/errors.js';
import { readFileChecked } from '../data/audio/read-audio.js';
import { splitSentences } from '../text/normalize.js';
import { parsePrompts } from '../text/read-text.js';

/** The largest text read whole (`synth phones`); `synth --text-file` streams files of any size. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** --text or --text-file as one string (festvox prompts become their texts, one sentence each). */
export async function readTextInput(text: string | undefined, file: string | undefined): Promise<string> {
  if (text !== undefined) return text;
  const bytes = await readFileChecked(file as string, MAX_TEXT_BYTES, 'text');
  const content = new TextDecoder('utf-8').decode(bytes);
  const prompts = parsePrompts(content);
  return prompts ? prompts.map((p) => p.text.trim().replace(/([^.!?])$/, '$1.')).join('\n\n') : content;
}

/**
 * The sentences of --text or --text-file, as they become available: a file is read in 64 kB pieces and
 * only the unfinished last sentence is kept between pieces, so memory stays bounded whatever its size.
 */
export async function* textSentences(text: string | undefined, file: string | undefined): AsyncGenerator<string> {
  if (text !== undefined) {
    yield* splitSentences(text);
    return;
  }
  const path = file as string;
  let pending = '';
  let promptFormat: boolean | undefined;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const piece of stream as AsyncIterable<string>) {
      pending += piece;
      if (promptFormat === undefined && pending.trim() !== '') promptFormat = /^\s*\(\s*\S+\s+"/.test(pending);
      if (promptFormat) {
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const prompts = line.trim() ? parsePrompts(line) : [];
          if (prompts === undefined) throw new UsageError({ code: 'E_TEXT_FORMAT', where: path, message: `a line is not a festvox prompt ( id "text" ): ${JSON.stringify(line.slice(0, 60))}` });
          for (const p of prompts) yield p.text;
        }
        continue;
      }
      const sentences = splitSentences(pending);
      // The last piece may be an unfinished sentence: keep it for the next read.
      pending = sentences.pop() ?? '';
      yield* sentences;
      if (pending.length > 1024 * 1024) {
        // A megabyte without a sentence end: speak it in pieces rather than hold it.
        yield pending;
        pending = '';
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new InputError({ code: 'E_READ', where: path, message: `cannot read the text file (${describeSystemError(error)})`, hint: 'check the path and its permissions' });
  }
  if (pending.trim()) {
    if (promptFormat) {
      const prompts = parsePrompts(pending);
      if (prompts) for (const p of prompts) yield p.text;
    } else yield* splitSentences(pending);
  }
}
