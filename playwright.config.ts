import { defineConfig } from '@playwright/test';
import { chromiumPath } from './tests/e2e/extension-browser';

// Fail before any test runs when there is no browser to drive.
chromiumPath();

export default defineConfig<{ language: string }>({
  testDir: 'tests/e2e',
  // One simulator on the fixed port the sim build calls (tests/sim/constants.ts): one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // The background spaces Serpstat requests 1 per second, so streaming tests take seconds.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: 'test-results',
  // The browser in en-US (the figures the specs read), once in German for german.spec.ts, and the
  // store images' command on its own (a project of its own has its own worker, so the simulator
  // of the others is closed when the demo starts one on the same port).
  projects: [
    { name: 'en-US', testIgnore: /(german|store-assets)\.spec\.ts$/ },
    { name: 'de', testMatch: /german\.spec\.ts$/, use: { language: 'de' } },
    { name: 'store-assets', testMatch: /store-assets\.spec\.ts$/ },
  ],
});
