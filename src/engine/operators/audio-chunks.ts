import { filter, map, type OperatorFunction } from 'rxjs';
import type { AudioChunk, EngineEvent } from '../engine-events.js';

/**
 * Keeps only the audio of a synthesis, as chunks.
 *
 * Use it when a consumer wants samples and nothing else (a sink, a level meter).
 *
 * @example
 * ```ts
 * engine.synthesize(plan).pipe(audioChunks()).subscribe((chunk) => meter.push(chunk.samples[0]));
 * ```
 * @param includeSeed Also pass the seed samples copied from the recording (default true).
 */
export function audioChunks(includeSeed = true): OperatorFunction<EngineEvent, AudioChunk> {
  return (source) =>
    source.pipe(
      filter((e): e is { type: 'audio'; chunk: AudioChunk } => e.type === 'audio' && (includeSeed || !e.chunk.seed)),
      map((e) => e.chunk),
    );
}
