import type { AudioChunk } from './engine-events.js';

/**
 * A chunk whose consumers may hold it (retain() and the release it returns); `onReleased` runs once, when
 * the emission is over and every hold is released. The engine returns a chunk's credit this way, so a slow
 * sink slows generation.
 */
export function retainedChunk(chunk: Omit<AudioChunk, 'retain'>, onReleased: () => void): { chunk: AudioChunk; emitted: () => void } {
  let holds = 0;
  let emitting = true;
  const done = (): void => {
    if (holds === 0 && !emitting) onReleased();
  };
  const audio: AudioChunk = {
    ...chunk,
    retain: () => {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        done();
      };
    },
  };
  return {
    chunk: audio,
    emitted: () => {
      emitting = false;
      done();
    },
  };
}
