import { FormatError, UsageError } from '../../core/errors.js';

/** Pick the 1-based `channel` of a multi-channel file, or refuse multi-channel input when none is given. */
export function selectChannelIndex(path: string, channelCount: number, channel: number | undefined): number {
  if (channelCount < 1) {
    throw new FormatError({ code: 'E_AUDIO_CHANNELS', where: path, message: `the header says ${channelCount} channels` });
  }
  if (channel === undefined) {
    if (channelCount === 1) return 0;
    throw new FormatError({
      code: 'E_AUDIO_MULTICHANNEL',
      where: path,
      message: `the audio has ${channelCount} channels; the model takes mono`,
      hint: `pick one with --channel N (1 to ${channelCount}), or mix down with \`sox IN.wav -c 1 OUT.wav\``,
    });
  }
  if (!Number.isInteger(channel) || channel < 1 || channel > channelCount) {
    throw new UsageError({
      code: 'E_OPTION_RANGE',
      where: '--channel',
      message: `channel ${channel} is out of range [1, ${channelCount}] for ${path}`,
      hint: 'channels are numbered from 1',
    });
  }
  return channel - 1;
}
