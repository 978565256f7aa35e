// Real-browser check of the web page of `vcf-agent serve`: Debian's chromium, driven by
// playwright-core (no browser download), loads the page from a running server, saves the token,
// waits for the store overview, runs a region query, triggers one error, checks that the token
// is kept across a reload and accepted from the URL fragment, and prints one JSON summary.
//
//   node page_test.mjs --url http://127.0.0.1:PORT --token TOKEN --region 22:1-100 \
//       [--expect-total N] [--gene SYMBOL] [--error-region 22:x-y] [--browser /usr/bin/chromium]
//       [--timeout-ms 30000]
//
// Exit status: 0 when every step completed (and the total matched --expect-total when given);
// 1 when a step failed or timed out, or the total differs; 2 on bad usage. The summary is
// printed in every case but bad usage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

function usage(message) {
  process.stderr.write(`page_test: ${message}\n`);
  process.stderr.write('usage: node page_test.mjs --url URL --token TOKEN --region REGION [--expect-total N] ' +
    '[--gene SYMBOL] [--error-region REGION] [--browser PATH] [--timeout-ms N]\n');
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      region: { type: 'string' },
      'expect-total': { type: 'string' },
      gene: { type: 'string' },
      'error-region': { type: 'string', default: '22:x-y' },
      browser: { type: 'string', default: '/usr/bin/chromium' },
      'timeout-ms': { type: 'string', default: '30000' },
    },
  }));
} catch (e) {
  usage(e.message);
}
for (const name of ['url', 'token', 'region']) if (!options[name]) usage(`--${name} is required`);
const timeout = Number(options['timeout-ms']);
if (!(timeout > 0)) usage('--timeout-ms must be a positive number');
const url = options.url.replace(/\/+$/, '') + '/';

const summary = {
  ok: false,
  overviewSampleCount: null,
  rowsRendered: null,
  total: null,
  dataRows: null,
  resultSummary: null,
  firstRowCells: null,
  gene: null,
  errorText: null,
  tokenKeptAfterReload: null,
  tokenFromFragment: null,
  errors: [],
  failures: [],
};

// The whole run is bounded: a hung browser must not hang the test that runs this script.
const watchdog = setTimeout(() => {
  summary.failures.push(`timed out after ${4 * timeout} ms in total`);
  finish(1);
}, 4 * timeout);

function finish(code) {
  clearTimeout(watchdog);
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.exit(code);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'vcf-agent-page-test-'));
let context;
let page;
// The browser's own console: errors there (and uncaught exceptions) are page defects. The one
// expected failure (the HTTP 400 of the deliberate bad region) is not recorded.
let expectingHttpError = false;
function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expectingHttpError && /status of 400/.test(msg.text())) return;
    summary.errors.push(msg.text());
  });
  page.on('pageerror', (err) => summary.errors.push(`uncaught: ${err.message}`));
}

// Runs one query through the form and returns what the results area shows.
async function runQuery(page, kind, fields) {
  await page.selectOption('#query-kind', kind);
  for (const [id, value] of Object.entries(fields)) await page.fill(id, value);
  // Clicking clears the previous result and disables the button until the answer is shown.
  await page.click('#run-query');
  await page.waitForSelector('#run-query:not([disabled])');
  const error = (await page.textContent('#error')).trim();
  if (error) throw new Error(`${kind} query failed: ${error}`);
  await page.waitForSelector('#result-summary');
  return page.evaluate(() => {
    const s = document.getElementById('result-summary');
    const first = document.querySelector('.result-table tbody tr');
    return {
      total: Number(s.dataset.total),
      dataRows: Number(s.dataset.rows),
      text: s.textContent,
      rowsRendered: document.querySelectorAll('.result-table tbody tr').length,
      firstRowCells: first ? [...first.cells].map((c) => c.textContent) : null,
    };
  });
}

let step = 'launching chromium';
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.browser,
    headless: true,
    timeout,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(timeout);
  page = context.pages()[0] ?? await context.newPage();
  watch(page);

  step = 'loading the page';
  await page.goto(url, { waitUntil: 'domcontentloaded' });

  step = 'saving the token';
  await page.fill('#token', options.token);
  await page.click('#save-token');

  step = 'waiting for the overview';
  await page.waitForSelector('#overview-sample-count');
  summary.overviewSampleCount = Number(await page.getAttribute('#overview-sample-count', 'data-count'));

  step = 'running the region query';
  const region = await runQuery(page, 'region', { '#arg-region': options.region });
  await page.waitForSelector('.result-table tbody tr');
  Object.assign(summary, {
    rowsRendered: region.rowsRendered, total: region.total, dataRows: region.dataRows,
    resultSummary: region.text, firstRowCells: region.firstRowCells,
  });
  if (options['expect-total'] !== undefined && region.total !== Number(options['expect-total']))
    summary.failures.push(`total ${region.total}, expected ${options['expect-total']}`);
  if (region.rowsRendered !== region.dataRows)
    summary.failures.push(`${region.rowsRendered} rows rendered, data-rows says ${region.dataRows}`);

  if (options.gene) {
    step = 'running the gene query';
    await page.fill('#arg-region', '');
    const gene = await runQuery(page, 'gene', { '#arg-gene': options.gene });
    summary.gene = { total: gene.total, rowsRendered: gene.rowsRendered, firstRowCells: gene.firstRowCells };
    await page.fill('#arg-gene', '');
  }

  step = 'triggering an error';
  expectingHttpError = true;
  await page.selectOption('#query-kind', 'region');
  await page.fill('#arg-region', options['error-region']);
  await page.click('#run-query');
  await page.waitForFunction(() => document.getElementById('error').textContent.trim() !== '');
  summary.errorText = (await page.textContent('#error')).trim();
  const errorVisible = await page.isVisible('#error');
  const errorRole = await page.getAttribute('#error', 'role');
  if (!errorVisible || errorRole !== 'alert') summary.failures.push('the error box is not a visible alert');
  await page.waitForSelector('#run-query:not([disabled])');
  expectingHttpError = false;

  step = 'reloading (the token is kept)';
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#overview-sample-count');
  summary.tokenKeptAfterReload = (await page.inputValue('#token')) === options.token;

  step = 'opening a link carrying the token in its fragment';
  await page.evaluate(() => localStorage.clear());
  await page.goto('about:blank');
  await page.goto(`${url}#token=${encodeURIComponent(options.token)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#overview-sample-count');
  const fragmentCount = Number(await page.getAttribute('#overview-sample-count', 'data-count'));
  summary.tokenFromFragment = fragmentCount === summary.overviewSampleCount && !page.url().includes('token=');
  if (!summary.tokenKeptAfterReload) summary.failures.push('the token was not kept across a reload');
  if (!summary.tokenFromFragment) summary.failures.push('the token of the URL fragment was not used (or stayed in the URL)');

  step = 'done';
} catch (e) {
  summary.failures.push(`${step}: ${e.message.split('\n')[0]}`);
  // What the page showed the person, when it got that far (an HTTP 401, a server error...).
  const shown = await page?.textContent('#error', { timeout: 1000 }).catch(() => null);
  if (shown?.trim()) summary.failures.push(`the page's error box says: ${shown.trim()}`);
}

try {
  await context?.close();
} catch { /* the summary matters more than a clean close */ }
rmSync(userDataDir, { recursive: true, force: true });
summary.ok = summary.failures.length === 0;
finish(summary.ok ? 0 : 1);
