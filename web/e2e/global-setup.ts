import { buildDashboard, hasChromium } from './harness';

/**
 * Builds the dashboard once before any test file runs, so browser test files running side by side
 * never build into the same folder at the same time (each file's own `buildDashboard` then finds it
 * fresh).
 */
export default async function setup(): Promise<void> {
  if (hasChromium) await buildDashboard();
}
