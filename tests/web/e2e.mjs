// The web page end to end: the real correlare-indexer and correlare-searchd over
// corpus-samples/ (the folders ./scripts/run indexes) plus a folder of hostile titles,
// driven in Debian's headless Chromium by playwright-core, checked by axe-core.
// Registered with CTest by tests/web/CMakeLists.txt, which sets the environment:
//   CORRELARE_BIN_DIR, CORRELARE_CORPUS_DIR, CORRELARE_TAXONOMY, CORRELARE_NODE_MODULES,
//   CORRELARE_CHROMIUM, CORRELARE_WEB_TEST_OUT (screenshots land there).
// Exits 0 when every check passed, 1 with the failures otherwise.
import {spawn, spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through ctest)`);
  return value;
};
const BIN = env('CORRELARE_BIN_DIR');
const CORPUS = env('CORRELARE_CORPUS_DIR');
const TAXONOMY = env('CORRELARE_TAXONOMY');
const NODE_MODULES = env('CORRELARE_NODE_MODULES');
const CHROMIUM = env('CORRELARE_CHROMIUM');
const OUT = env('CORRELARE_WEB_TEST_OUT');

const require = createRequire(path.join(NODE_MODULES, 'noop.js'));
const {chromium} = require('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_WORD = 'zanzibarite';  // in the hostile document only
const started = Date.now();

function log(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

// The sample folders ./scripts/run indexes: all but src/ and hostile/.
function sampleFolders() {
  return fs.readdirSync(CORPUS, {withFileTypes: true})
    .filter((entry) => entry.isDirectory() && !['src', 'hostile'].includes(entry.name))
    .map((entry) => path.join(CORPUS, entry.name));
}

// A folder with a document whose title is HTML (by its sidecar) and one whose file
// name is.
function writeHostileFolder(dir) {
  fs.mkdirSync(dir);
  const text = `Avviso di prova per la pagina web.\n\nQuesto avviso contiene la parola ${XSS_WORD}, ` +
    'che nessun altro documento contiene, e parla di permesso di soggiorno.\n';
  fs.writeFileSync(path.join(dir, 'avviso-titolo-html.txt'), text);
  fs.writeFileSync(path.join(dir, 'avviso-titolo-html.txt.meta.json'), JSON.stringify({
    title: XSS_TITLE, type: 'strumento', province: 'lodi', lang: 'it'}));
  fs.writeFileSync(path.join(dir, '<svg onload=alert(2)>.txt'),
    `<script>alert(3)</script> Seconda prova ${XSS_WORD}: un nome di file con markup.\n`);
}

function run(args) {
  const result = spawnSync(args[0], args.slice(1), {encoding: 'utf8'});
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

// Starts correlare-searchd on a free port; resolves with its process and base URL.
// Daemons still running when this process ends, however it ends (the 240 s deadline,
// an exception): they are killed with it, never left behind.
const daemons = new Set();
process.on('exit', () => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
});

function startDaemon(data) {
  const daemon = spawn(path.join(BIN, 'correlare-searchd'),
    ['--data', data, '--taxonomy', TAXONOMY, '--listen', '127.0.0.1:0'],
    {stdio: ['ignore', 'pipe', 'pipe']});
  daemons.add(daemon);
  daemon.on('exit', () => daemons.delete(daemon));
  let stderr = '';
  daemon.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('correlare-searchd did not start in 20 s')), 20000);
    daemon.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        daemon.stdout.removeAllListeners('data');
        daemon.stdout.resume();
        resolve({daemon, base: match[1]});
      }
    });
    daemon.on('exit', (code) => reject(new Error(`correlare-searchd exited ${code}: ${stderr}`)));
  });
}

// Runs axe-core in the page; returns the serious and critical violations.
async function seriousViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describeViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')).join('\n');
}

const statusText = (page) => page.locator('#results-status').innerText();

// The number at the start of the results status ("12 documenti trovati …").
async function totalShown(page) {
  const text = await statusText(page);
  if (text.startsWith('Nessun')) return 0;
  const match = /^([\d.]+) document/.exec(text);
  assert.ok(match, `no count in the status «${text}»`);
  return Number(match[1].replace(/\./g, ''));
}

// Waits until the results status matches `pattern` (a RegExp).
async function waitForStatus(page, pattern, what) {
  await page.waitForFunction(({source, flags}) => {
    const text = document.getElementById('results-status')?.textContent ?? '';
    return new RegExp(source, flags).test(text);
  }, {source: pattern.source, flags: pattern.flags}, {timeout: 20000}).catch(async () => {
    throw new Error(`${what}: the status says «${await statusText(page)}»`);
  });
}

async function facetCounts(page, facet) {
  return page.locator(`#facet-${facet} .form-check`).evaluateAll((checks) => checks.map((check) => ({
    value: check.querySelector('input').value,
    checked: check.querySelector('input').checked,
    count: Number(check.querySelector('.facet-count').firstChild.textContent),
  })));
}

// Whether the focused element shows a focus ring (an outline that is not transparent,
// or a box shadow); for a checkbox, which Bootstrap Italia hides, its label must.
async function focusIsVisible(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    const shown = active?.type === 'checkbox' && active.id
      ? document.querySelector(`label[for="${active.id}"]`) : active;
    if (!shown) return false;
    const style = getComputedStyle(shown);
    const transparent = style.outlineColor === 'transparent' || /^rgba\(.*,\s*0\)$/.test(style.outlineColor);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && !transparent;
    return outline || (!!style.boxShadow && style.boxShadow !== 'none');
  });
}

async function main() {
  fs.mkdirSync(OUT, {recursive: true});
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'correlare-web-'));
  const cleanups = [() => fs.rmSync(tmp, {recursive: true, force: true})];
  const failures = [];
  try {
    const hostile = path.join(tmp, 'hostile-titles');
    writeHostileFolder(hostile);
    const folders = [...sampleFolders(), hostile];
    run([path.join(BIN, 'correlare-indexer'), '--data', path.join(tmp, 'var'), '--taxonomy', TAXONOMY,
      'index', ...folders]);
    log(`indexed ${folders.length} folders`);
    const {daemon, base} = await startDaemon(path.join(tmp, 'var'));
    cleanups.unshift(() => new Promise((resolve) => {
      daemon.on('exit', resolve);
      daemon.kill('SIGTERM');
    }));
    log(`searchd at ${base}`);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext({acceptDownloads: true, locale: 'it-IT',
      viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const dialogs = [];
    const problems = [];  // CSP violations, script errors, failed requests of the page
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text().slice(0, 300)}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    const check = async (name, body) => {
      try {
        await body();
        log(`ok   ${name}`);
      } catch (error) {
        failures.push(`${name}: ${error.message}`);
        log(`FAIL ${name}: ${error.message}`);
      }
    };

    let firstTotal = 0;
    await check('types a query and sees results with highlighted snippets', async () => {
      await page.goto(`${base}/`);
      await waitForStatus(page, /documenti trovati/, 'the home page lists the archive');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'the search box has the focus');
      await page.locator('#q').pressSequentially('permes', {delay: 30});
      await page.locator('#q-suggestions [role=option]').first().waitFor({timeout: 10000});
      const suggestions = await page.locator('#q-suggestions [role=option]').allInnerTexts();
      assert.ok(suggestions.some((s) => s.startsWith('permess')), `suggestions: ${suggestions}`);
      assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'true');
      await page.locator('#q').fill('permesso di soggiorno');
      await page.keyboard.press('Enter');
      await waitForStatus(page, /per «permesso di soggiorno»/, 'the query is searched');
      assert.match(page.url(), /\?q=permesso\+di\+soggiorno$/);
      firstTotal = await totalShown(page);
      assert.ok(firstTotal > 1, `total ${firstTotal}`);
      const results = page.locator('#results .result');
      assert.equal(await results.count(), Math.min(10, firstTotal));
      assert.ok(await page.locator('#results .snippet mark').count() > 0, 'snippets have <mark>');
      assert.ok(await page.locator('#results .result-download a').count() > 0, 'download links');
      const hits = await page.locator('#results .hit').allInnerTexts();
      assert.ok(hits.some((h) => /pagina \d+/.test(h)), `hit positions: ${hits}`);
      assert.equal(await page.locator('#results-status').getAttribute('aria-live'), 'polite');
    });

    await check('ticking a facet filters and changes the counts; Back and Forward restore', async () => {
      const provinces = await facetCounts(page, 'province');
      const pick = provinces.find((p) => p.count > 0 && p.count < firstTotal);
      assert.ok(pick, `a province with fewer than ${firstTotal} results: ${JSON.stringify(provinces)}`);
      const axesBefore = await facetCounts(page, 'axis');
      await page.locator(`label[for="facet-province-${pick.value}"]`).click();
      await page.waitForURL(new RegExp(`province=${pick.value}`));
      await waitForStatus(page, new RegExp(`^${pick.count} document`), 'the facet filters');
      assert.equal(await totalShown(page), pick.count, 'the total is the facet count');
      const axesAfter = await facetCounts(page, 'axis');
      assert.notDeepEqual(axesAfter, axesBefore, 'the axis counts change with the province');
      assert.ok((await facetCounts(page, 'province')).find((p) => p.value === pick.value).checked);
      assert.equal(await page.locator('#active-filters .chip').count(), 1, 'one active-filter chip');
      await page.screenshot({path: path.join(OUT, 'search.png'), fullPage: true});
      await page.goBack();
      await page.waitForURL((url) => !url.search.includes('province='));
      await waitForStatus(page, new RegExp(`^${firstTotal} documenti`), 'Back restores the results');
      assert.ok(!(await facetCounts(page, 'province')).find((p) => p.value === pick.value).checked);
      assert.deepEqual(await facetCounts(page, 'axis'), axesBefore, 'Back restores the counts');
      await page.goForward();
      await waitForStatus(page, new RegExp(`^${pick.count} document`), 'Forward filters again');
      // The chip removes the filter.
      await page.locator('#active-filters .chip button').click();
      await waitForStatus(page, new RegExp(`^${firstTotal} documenti`), 'the chip removes the filter');
    });

    await check('sorting and pagination show what the API answers', async () => {
      const titlesFromApi = async (query) => {
        const json = await (await page.request.get(`${base}/api/search?${query}&per_page=10`)).json();
        return json.results.map((r) => r.title);
      };
      const titlesShown = () => page.locator('#results .result-title a').allTextContents();
      await page.locator('#sort').selectOption('date_desc');
      await page.waitForURL(/sort=date_desc/);
      const wanted = await titlesFromApi('q=permesso+di+soggiorno&sort=date_desc');
      await page.waitForFunction((first) => document.querySelector('#results .result-title a')?.textContent === first,
        wanted[0], {timeout: 20000});
      assert.deepEqual(await titlesShown(), wanted);
      await page.locator('#pagination a[aria-label="Pagina successiva"]').click();
      await page.waitForURL(/page=2/);
      const second = await titlesFromApi('q=permesso+di+soggiorno&sort=date_desc&page=2');
      await page.waitForFunction((first) => document.querySelector('#results .result-title a')?.textContent === first,
        second[0], {timeout: 20000});
      assert.deepEqual(await titlesShown(), second);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'results-title', 'the focus moves to the results');
      await page.goBack();
      await page.goBack();
      await waitForStatus(page, new RegExp(`^${firstTotal} documenti`), 'Back to relevance');
      assert.ok(!page.url().includes('sort='));
    });

    await check('axe-core finds no serious violation on the search page', async () => {
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, describeViolations(violations));
    });

    let documentUrl = '';
    await check('opens a PDF at the hit page with the words highlighted, then goes Back', async () => {
      const pdfResult = page.locator('#results .result', {has: page.locator('.hit', {hasText: /pagina/})}).first();
      const title = await pdfResult.locator('.result-title a').innerText();
      await pdfResult.locator('.result-title a').click();
      await page.waitForURL(/\/documenti\/[0-9a-f]{32}\?q=.*pagina=\d+/);
      documentUrl = page.url();
      await page.locator('#document-title').filter({hasText: title}).waitFor({timeout: 20000});
      assert.equal(await page.title(), `${title} – Correlare`);
      await page.locator('.pdf-sheet .textLayer mark').first().waitFor({timeout: 30000});
      const wanted = Number(new URL(documentUrl).searchParams.get('pagina'));
      assert.match(await page.locator('.pdf-page-label').innerText(), new RegExp(`^Pagina ${wanted} di \\d+`));
      assert.ok(await page.locator('#preview mark').count() > 0, 'the text preview highlights the query');
      assert.ok(await page.locator('#tags .tag-why').count() > 0, 'the tags say why');
      assert.ok(await page.locator('#metadata dt').count() >= 3, 'metadata');
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, describeViolations(violations));
      await page.screenshot({path: path.join(OUT, 'document.png'), fullPage: true});
    });

    await check('downloads the original bytes with the original name', async () => {
      const id = new URL(documentUrl).pathname.split('/').pop();
      const json = await (await page.request.get(`${base}/api/documents/${id}`)).json();
      const name = json.sources[0].name;
      const original = sampleFolders().map((f) => path.join(f, name)).find((f) => fs.existsSync(f));
      assert.ok(original, `${name} is a sample`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#document-download').click(),
      ]);
      assert.equal(download.suggestedFilename(), name);
      const saved = await download.path();
      assert.ok(fs.readFileSync(saved).equals(fs.readFileSync(original)), 'the same bytes');
    });

    await check('Back returns to the results of the query', async () => {
      await page.goBack();
      await page.waitForURL(/\/\?q=permesso/);
      await waitForStatus(page, new RegExp(`^${firstTotal} documenti`), 'Back shows the results again');
      assert.equal(await page.locator('#q').inputValue(), 'permesso di soggiorno');
    });

    await check('a transcript shows its cues at the hit time', async () => {
      await page.goto(`${base}/?q=sfruttamento`);
      const transcript = page.locator('#results .result', {has: page.locator('.hit', {hasText: /al minuto/})}).first();
      await transcript.waitFor({timeout: 20000});
      await transcript.locator('.result-title a').click();
      await page.locator('.cues .cue-hit').waitFor({timeout: 20000});
      const time = new URL(page.url()).searchParams.get('t');
      assert.match(time, /^\d\d:\d\d:\d\d$/);
      assert.ok(await page.locator('.cues mark').count() > 0, 'the cues highlight the query');
    });

    await check('a misspelt query is corrected, an empty result says what to try', async () => {
      await page.goto(`${base}/?q=ricongiungimeto`);
      await waitForStatus(page, /document/, 'the corrected query finds documents');
      const correction = page.locator('#correction');
      assert.ok(await correction.isVisible(), 'the correction is shown');
      assert.match(await correction.innerText(), /ricongiungimento/);
      await page.goto(`${base}/?q=qzxwvjk&province=lodi`);
      await waitForStatus(page, /^Nessun documento trovato per «qzxwvjk»/, 'nothing is found');
      assert.match(await page.locator('#results .empty-advice').innerText(), /Prova così/);
      await page.locator('#results .empty-advice button', {hasText: 'togli i filtri'}).click();
      await page.waitForURL((url) => !url.search.includes('province='));
    });

    await check('a title made of HTML is shown as text and runs nothing', async () => {
      await page.goto(`${base}/?q=${XSS_WORD}`);
      await waitForStatus(page, /^2 documenti/, 'both hostile documents are found');
      const titles = await page.locator('#results .result-title a').allTextContents();
      assert.ok(titles.includes(XSS_TITLE), `titles: ${JSON.stringify(titles)}`);
      assert.equal(await page.locator('#results img, #results svg[onload], #results script').count(), 0);
      await page.locator('#results .result-title a', {hasText: XSS_TITLE}).click();
      await page.locator('#document-title').filter({hasText: XSS_TITLE}).waitFor({timeout: 20000});
      assert.equal(await page.locator('#document-title').textContent(), XSS_TITLE);
      assert.equal(await page.title(), `${XSS_TITLE} – Correlare`);
      assert.equal(await page.locator('main img').count(), 0);
      await page.goto(`${base}/?q=${encodeURIComponent('<img src=x onerror=alert(4)>')}`);
      await waitForStatus(page, /«<img src=x onerror=alert\(4\)>»/, 'the query is echoed as text');
      await page.waitForTimeout(300);
      assert.deepEqual(dialogs, [], 'no dialog opened');
    });

    await check('keyboard only: search box, results, facets, with visible focus', async () => {
      await page.goto(`${base}/?q=permesso`);
      await waitForStatus(page, /documenti trovati/, 'results');
      await page.evaluate(() => document.activeElement?.blur());
      const zones = [];
      for (let i = 0; i < 80 && !zones.includes('facets'); i++) {
        await page.keyboard.press('Tab');
        const zone = await page.evaluate(() => {
          const active = document.activeElement;
          if (active?.id === 'q') return 'search';
          if (active?.closest('#results')) return 'results';
          if (active?.closest('#facets')) return 'facets';
          return 'other';
        });
        if (zone !== 'other') {
          assert.ok(await focusIsVisible(page), `focus visible in ${zone} (tab ${i + 1}): ` +
            await page.evaluate(() => {
              const active = document.activeElement;
              const style = getComputedStyle(active);
              return `${active.outerHTML.slice(0, 120)} outline ${style.outline} shadow ${style.boxShadow}`;
            }));
          if (zones[zones.length - 1] !== zone) zones.push(zone);
        }
      }
      assert.deepEqual(zones, ['search', 'results', 'facets']);
      // Space ticks the focused facet: the results are filtered without a mouse.
      const before = page.url();
      await page.evaluate(() => document.querySelectorAll('#facets fieldset')
        .forEach((fieldset) => { fieldset.dataset.stale = 'yes'; }));
      await page.keyboard.press('Space');
      await page.waitForURL((url) => url.href !== before && /(axis|province|type|lang|year_from)=/.test(url.search));
      await page.waitForFunction(() => document.querySelector('#facets fieldset') &&
        !document.querySelector('#facets fieldset[data-stale]'), null, {timeout: 20000});
      assert.ok(await page.evaluate(() => document.activeElement?.type === 'checkbox' &&
        document.activeElement.checked), 'the ticked checkbox keeps the focus');
      // Arrow keys and Enter take a suggestion.
      await page.locator('#q').focus();
      await page.locator('#q').fill('');
      await page.keyboard.type('ricongiun', {delay: 30});
      await page.locator('#q-suggestions [role=option]').first().waitFor({timeout: 10000});
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), 'q-suggestions-0');
      const chosen = await page.locator('#q-suggestions-0').innerText();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === chosen);
    });

    await check('no CSP violation, script error, failed request or dialog on any page', async () => {
      assert.deepEqual(problems, []);
      assert.deepEqual(dialogs, []);
    });
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        failures.push(`cleanup: ${error.message}`);
      }
    }
  }
  log(`${failures.length ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${OUT}`);
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

const deadline = setTimeout(() => {
  console.error('the web test took longer than 240 s');
  process.exit(1);
}, 240000);
deadline.unref();
main().catch((error) => {
  console.error(error.stack || error.message);
  process.exitCode = 1;
});
