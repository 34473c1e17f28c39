import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { parseNumberOption } from '../cli-errors.js';

/** `synth export MODEL_DIR`: write step.onnx and chunk.onnx from a trained bundle. */
export function registerExportCommand(program: Command, context: CliContext): void {
  program
    .command('export')
    .description('export a trained model bundle to ONNX (step.onnx, chunk.onnx) and record them in its manifest')
    .argument('<model-dir>', 'bundle folder written by `synth train`')
    .option('--unroll <n>', 'steps per Loop iteration in chunk.onnx (1-64, default 8)')
    .action(async (dir: string, flags: { unroll?: string }) => {
      const { exportBundle } = await import('../../export/export-bundle.js');
      const { PACKAGE_VERSION } = await import('../package-version.js');
      const unroll = parseNumberOption('--unroll', flags.unroll, { min: 1, max: 64, integer: true });
      const result = await exportBundle(dir, { producerVersion: PACKAGE_VERSION, ...(unroll !== undefined ? { unroll } : {}) });
      context.stderr.write(
        `exported ${result.files.join(', ')} to ${dir}: step.onnx ${result.stepNodes} nodes per sample; chunk.onnx ${result.chunkNodesPerSample.toFixed(2)} nodes per sample (unroll ${result.manifest.graphs?.chunk.unroll})\n`,
      );
    });
}
