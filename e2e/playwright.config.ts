import { defineConfig } from '@playwright/test';
import { env } from './support/env';

// Importing `env` throws, naming the variable, when the task runner did not set one.

export default defineConfig({
  testDir: './tests',
  globalSetup: './support/warm-up.ts',
  // Two cores on CI, shared with other work: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // The task runner sets PLAYWRIGHT_JSON_OUTPUT_NAME and reads the JSON report's stats; without
  // it (a developer's run) the report goes to test-results/ instead of flooding stdout.
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME || 'test-results/results.json' }],
  ],
  outputDir: './test-results',
  use: {
    baseURL: env.appUrl,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; never `npx playwright install` (no browser downloads here).
      executablePath: process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--no-sandbox',
        '--disable-gpu-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // A fake camera (a test pattern) for the trial's camera input, allowed without a prompt.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
  },
});
