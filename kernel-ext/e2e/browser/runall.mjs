// runall.mjs: opens a notebook in the classic Notebook server with Debian's
// headless Chromium, runs Kernel > Restart & Run All, waits until every cell
// has run, and checks that an inline image and the expected text appear.
// Keeps a screenshot.
//
// Usage: node runall.mjs URL SCREENSHOT.png EXPECTED_TEXT [TIMEOUT_SECONDS]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, expected, timeoutArg] = process.argv.slice(2);
if (!url || !screenshot || !expected) {
  console.error('usage: node runall.mjs URL SCREENSHOT.png EXPECTED_TEXT [TIMEOUT_SECONDS]');
  process.exit(2);
}
const timeout = 1000 * Number(timeoutArg || 300);
const profile = mkdtempSync(join(tmpdir(), 'goconc-chromium-'));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = null;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(url);
  // The kernel is up when the notebook's kernel object says it is connected.
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
    Jupyter.notebook.kernel.is_connected());
  await page.click('#kernellink');
  await page.click('#restart_run_all');
  await page.click('.modal-dialog button.btn-danger');
  // Run All is done when no cell waits for its turn ("In [*]") and every
  // code cell has an execution count.
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
    return cells.length > 0 && cells.every(c => c.input_prompt_number !== '*' && Number.isInteger(c.input_prompt_number))
      && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
  });
  // Figures arrive as PNG (an img) or SVG (inline svg) by the front end's choice.
  const images = await page.locator('.output_area img, .output_area .output_svg svg').count();
  const text = await page.locator('#notebook-container').innerText();
  const errors = await page.locator('.output_error').count();
  await page.screenshot({ path: screenshot, fullPage: true });
  if (images < 1) failed = 'no inline image in the outputs';
  else if (!text.includes(expected)) failed = `the text ${JSON.stringify(expected)} is not on the page`;
  else if (errors > 0) failed = `${errors} cell(s) ended in an error`;
  console.log(`browser: ${images} inline image(s), ${errors} error output(s), screenshot ${screenshot}`);
} catch (e) {
  failed = String(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failed) {
  console.error('browser: FAILED: ' + failed);
  process.exit(1);
}
