import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vocoderFixture } from '../helpers/vocoder-bundle.js';
import { startServer, type SynthServer } from '../../src/serve/server.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(process.cwd(), 'test-output');

/**
 * The page in a real browser (Debian's chromium, driven by playwright-core; .ci/run installs it). Headless
 * Chromium with no sound device plays into a silent output in real time, so the worklet's counters are
 * those of real playback.
 */
describe.skipIf(!existsSync(CHROMIUM))('the page in headless Chromium (skipped without /usr/bin/chromium)', () => {
  let server: SynthServer;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, modelDir: await vocoderFixture(), pageDir: fileURLToPath(new URL('../../dist/page', import.meta.url)), workers: 1, maxConnections: 8 });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('plays a shipped phones file: the worklet consumes its whole length with no underrun, the spectrogram is drawn, a screenshot is written', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => (document.getElementById('demo') as HTMLSelectElement).options.length > 0);
    await page.click('#play');
    await page.waitForFunction(() => {
      const s = (window as unknown as { synthPage: { ended: boolean; framesOut: number; generatedSamples: number; contextRate: number } }).synthPage;
      return s.ended && s.generatedSamples > 0 && s.framesOut >= Math.floor(((s.generatedSamples - 1) * s.contextRate) / 16000);
    }, undefined, { timeout: 30000 });
    const figures = await page.evaluate(() => {
      const s = (window as unknown as { synthPage: { framesOut: number; underruns: number; generatedSamples: number; contextRate: number; firstAudioMs: number } }).synthPage;
      const canvas = document.getElementById('specGen') as HTMLCanvasElement;
      const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] as number) + (pixels[i + 1] as number) + (pixels[i + 2] as number) > 0) lit++;
      return { framesOut: s.framesOut, underruns: s.underruns, generated: s.generatedSamples, rate: s.contextRate, firstAudioMs: s.firstAudioMs, lit };
    });
    const expected = (figures.generated * figures.rate) / 16000;
    expect(Math.abs(figures.framesOut - expected)).toBeLessThanOrEqual(figures.rate / 100);
    expect(figures.underruns).toBe(0);
    expect(figures.lit).toBeGreaterThan(1000);
    expect(figures.firstAudioMs).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'serve-page.png'), fullPage: true });
    expect(existsSync(join(OUTPUT, 'serve-page.png'))).toBe(true);
    await page.close();
  }, 60000);
});
