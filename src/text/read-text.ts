/**
 * Text input: plain text (any number of sentences) or the festvox prompt format, one `( id "text" )` per
 * line, as CMU ARCTIC's prompts.data. Pure functions; the CLI streams big files through textChunks.
 */
const PROMPT = /^\(\s*(\S+)\s+"((?:[^"\\]|\\.)*)"\s*\)\s*$/;

export interface Prompt {
  id: string;
  text: string;
}

/** The prompts of a festvox prompt file, or undefined when the text is not in that format. */
export function parsePrompts(text: string): Prompt[] | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0 || !lines.every((l) => PROMPT.test(l.trim()))) return undefined;
  return lines.map((l) => {
    const m = PROMPT.exec(l.trim()) as RegExpExecArray;
    return { id: m[1] as string, text: (m[2] as string).replace(/\\(.)/g, '$1') };
  });
}
