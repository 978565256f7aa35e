// Real-browser check of a page written by `vcf-agent report`: Debian's chromium, driven by
// playwright-core (no browser download), opens the HTML file from disk with every network
// request refused, screenshots the whole page to a PNG, and checks that each expected section
// is there with its heading, that every chart (svg[data-plot]) has a non-empty box and at
// least one drawn mark, that the expected charts exist, and that the PNG is not blank.
//
//   node report_test.mjs --file report.html --png out.png --sections summary,depth,...
//       [--plots variant-classes,quality,...] [--browser /usr/bin/chromium] [--timeout-ms 30000]
//
// Prints one JSON summary. Exit status: 0 when every check passed; 1 when one failed; 2 on bad
// usage.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateSync } from 'node:zlib';

import { chromium } from 'playwright-core';

function usage(message) {
  process.stderr.write(`report_test: ${message}\n`);
  process.stderr.write('usage: node report_test.mjs --file PAGE.html --png OUT.png --sections A,B ' +
    '[--plots X,Y] [--browser PATH] [--timeout-ms N]\n');
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      file: { type: 'string' },
      png: { type: 'string' },
      sections: { type: 'string' },
      plots: { type: 'string', default: '' },
      browser: { type: 'string', default: '/usr/bin/chromium' },
      'timeout-ms': { type: 'string', default: '30000' },
    },
  }));
} catch (e) {
  usage(e.message);
}
for (const name of ['file', 'png', 'sections']) if (!options[name]) usage(`--${name} is required`);
const timeout = Number(options['timeout-ms']);
if (!(timeout > 0)) usage('--timeout-ms must be a positive number');
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const wantedSections = list(options.sections);
const wantedPlots = list(options.plots);

const summary = {
  ok: false,
  sections: [],
  plots: [],
  png: { bytes: 0, width: 0, height: 0, colours: 0 },
  requests: [],
  errors: [],
  failures: [],
};

const watchdog = setTimeout(() => {
  summary.failures.push(`timed out after ${3 * timeout} ms in total`);
  finish(1);
}, 3 * timeout);

function finish(code) {
  clearTimeout(watchdog);
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.exit(code);
}

// The distinct colours of an 8-bit RGB/RGBA PNG (no interlacing), counted up to `cap`: a blank
// or one-colour screenshot has one. Decodes the scanline filters of the PNG format.
function pngColours(buffer, cap) {
  if (buffer.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8, width = 0, height = 0, colourType = 0, depth = 0;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colourType = data[9];
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  if (depth !== 8 || (colourType !== 2 && colourType !== 6)) throw new Error(`PNG colour type ${colourType}/${depth}`);
  const bpp = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const prev = Buffer.alloc(stride), line = Buffer.alloc(stride);
  const colours = new Set();
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start];
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let v = raw[start + 1 + x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[x] = v & 0xff;
    }
    for (let x = 0; x < stride && colours.size < cap; x += bpp) colours.add(line.readUIntBE(x, 3));
    line.copy(prev);
  }
  return { width, height, colours: colours.size };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'vcf-agent-report-test-'));
let context;
let step = 'launching chromium';
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.browser,
    headless: true,
    timeout,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
  context.setDefaultTimeout(timeout);
  // The page must stand alone: any request besides the file itself is a failure (and refused).
  const pageUrl = pathToFileURL(resolve(options.file)).href;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    summary.requests.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') summary.errors.push(msg.text()); });
  page.on('pageerror', (err) => summary.errors.push(`uncaught: ${err.message}`));

  step = 'opening the page';
  await page.goto(pageUrl, { waitUntil: 'load' });

  step = 'reading the sections and charts';
  const found = await page.evaluate(() => {
    const sections = [...document.querySelectorAll('section[id]')].map((s) => ({
      id: s.id,
      heading: s.querySelector('h2')?.textContent.trim() ?? '',
      textLength: s.textContent.trim().length,
    }));
    const plots = [...document.querySelectorAll('svg[data-plot]')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('rect, path, circle, polyline')].filter((m) => {
        const b = m.getBBox();
        return b.width > 0 && b.height > 0 || (m.tagName === 'polyline' && m.points.length > 1);
      });
      return {
        plot: svg.dataset.plot,
        section: svg.closest('section')?.id ?? null,
        width: box.width,
        height: box.height,
        marks: marks.length,
      };
    });
    return { sections, plots };
  });
  summary.sections = found.sections;
  summary.plots = found.plots;

  for (const id of wantedSections) {
    const s = found.sections.find((x) => x.id === id);
    if (!s) summary.failures.push(`section #${id} is missing`);
    else if (!s.heading) summary.failures.push(`section #${id} has no <h2>`);
    else if (s.textLength <= s.heading.length) summary.failures.push(`section #${id} is empty`);
  }
  for (const name of wantedPlots)
    if (!found.plots.some((p) => p.plot === name)) summary.failures.push(`chart ${name} is missing`);
  if (found.plots.length === 0) summary.failures.push('the page has no chart');
  for (const p of found.plots) {
    if (!(p.width > 0 && p.height > 0)) summary.failures.push(`chart ${p.plot} has an empty box`);
    if (p.marks === 0) summary.failures.push(`chart ${p.plot} draws nothing`);
  }

  step = 'taking the screenshot';
  await page.screenshot({ path: options.png, fullPage: true });
  const bytes = statSync(options.png).size;
  const decoded = pngColours(readFileSync(options.png), 64);
  summary.png = { bytes, ...decoded };
  if (bytes < 10000) summary.failures.push(`the screenshot is only ${bytes} bytes`);
  if (decoded.colours < 8) summary.failures.push(`the screenshot has ${decoded.colours} colours`);
  if (decoded.height < 900) summary.failures.push(`the screenshot is ${decoded.height} px tall`);
  if (summary.requests.length) summary.failures.push(`the page requested ${summary.requests.join(', ')}`);
  if (summary.errors.length) summary.failures.push('the page logged errors');
  step = 'done';
} catch (e) {
  summary.failures.push(`${step}: ${e.message.split('\n')[0]}`);
}

try {
  await context?.close();
} catch { /* the summary matters more than a clean close */ }
rmSync(userDataDir, { recursive: true, force: true });
summary.ok = summary.failures.length === 0;
finish(summary.ok ? 0 : 1);
