import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One serious or critical axe-core violation: the rule and the elements it found. */
export interface AxeFinding {
  id: string;
  impact: string;
  targets: string[];
}

/**
 * Runs axe-core on `include` (the whole page by default) and returns its serious and critical
 * findings. The script is evaluated through the DevTools protocol rather than added as a <script>
 * tag: the desk's CSP (script-src 'self') rightly refuses an inline script.
 */
export async function seriousAxeFindings(page: Page, include = 'html'): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selector) => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (context: string, options: object) => Promise<Result> } }).axe;
    const result = await axe.run(selector, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, include);
}
