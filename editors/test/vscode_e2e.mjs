// End-to-end test of editors/vscode in a real VS Code (code-server), driven
// by Debian's Chromium through playwright-core.
//
//   node editors/test/vscode_e2e.mjs
//
// Env (run.sh sets them from versions.sh):
//   VSIX             the packaged extension (required)
//   DOSSIER_BIN      the server binary (default <repo>/target/release/dossier)
//   NODE24           Node 24 binary that runs code-server
//   CODE_SERVER      code-server's out/node/entry.js
//   CHROMIUM         default /usr/bin/chromium
//   DOSSIER_TEST_ARTIFACTS      screenshots go here (default editors/test-artifacts)
//   DOSSIER_UPDATE_SCREENSHOTS=1  also copy hover.png / diagnostic.png to editors/screenshots
//
// Prints TAP-like lines and "N passed, N failed"; exits non-zero on failure.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const need = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is not set (run editors/test/run.sh)`);
    process.exit(2);
  }
  return v;
};
const VSIX = path.resolve(need('VSIX'));
const NODE24 = need('NODE24');
const CODE_SERVER = need('CODE_SERVER');
const DOSSIER_BIN = path.resolve(process.env.DOSSIER_BIN ?? path.join(REPO, 'target/release/dossier'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(process.env.DOSSIER_TEST_ARTIFACTS ?? path.join(REPO, 'editors/test-artifacts'));
const UPDATE = process.env.DOSSIER_UPDATE_SCREENSHOTS === '1';
const T0 = Date.now();

let passed = 0;
let failed = 0;
let n = 0;
function check(desc, ok, detail) {
  n += 1;
  const t = `${Date.now() - T0} ms`;
  if (ok) {
    passed += 1;
    console.log(`ok ${n} - [vscode] ${desc} (${t})`);
  } else {
    failed += 1;
    console.log(`not ok ${n} - [vscode] ${desc} (${t})`);
    if (detail !== undefined) {
      for (const l of String(detail).split('\n')) console.log(`  # ${l}`);
    }
  }
  return ok;
}
const log = (s) => console.log(`  # ${s}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findFiles(dir, re) {
  const out = [];
  for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// --- the workspace, the user's settings, the server on PATH ----------------
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-vscode-e2e-'));
const WS = path.join(TMP, 'ws');
const UD = path.join(TMP, 'user-data');
const EXT = path.join(TMP, 'extensions');
const CFG = path.join(TMP, 'config.yaml');
const PROFILE = path.join(TMP, 'chromium-profile');
const BIN = path.join(TMP, 'bin');
fs.cpSync(path.join(REPO, 'fixtures'), WS, { recursive: true });
fs.mkdirSync(path.join(UD, 'User'), { recursive: true });
fs.mkdirSync(BIN, { recursive: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.symlinkSync(fs.realpathSync(DOSSIER_BIN), path.join(BIN, 'dossier'));
fs.writeFileSync(CFG, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
fs.writeFileSync(
  path.join(UD, 'User', 'settings.json'),
  JSON.stringify(
    {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'extensions.ignoreRecommendations': true,
      'git.enabled': false,
      'editor.minimap.enabled': false,
      'editor.fontSize': 15,
      'editor.wordWrap': 'on',
      'editor.hover.sticky': true,
      'window.commandCenter': false,
      'breadcrumbs.enabled': false,
      // The extension host takes PATH from a login shell, which drops our
      // temporary PATH entry, so point the extension at the server directly.
      'dossier.server.path': DOSSIER_BIN,
    },
    null,
    2,
  ),
);

const NOTE_REL = 'notes/example.md';
const NOTE_TEXT = fs.readFileSync(path.join(WS, NOTE_REL), 'utf8');
const ART1 = '001_f5c6b512ca1d2a60.txt';
const ART4 = '004_ceb739453495012b.txt';
const ART1_TEXT = fs.readFileSync(path.join(WS, 'corpus', ART1), 'utf8');

/** 1-based line and column (UTF-16, as VS Code counts) of `needle` in `text`. */
function lineCol(text, needle, offset = 0) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i + 1, col: c + 1 + offset, text: lines[i] };
  }
  throw new Error(`not found: ${needle}`);
}

const codeServerEnv = {
  ...process.env,
  PATH: `${BIN}:${path.dirname(NODE24)}:${process.env.PATH}`,
  XDG_CONFIG_HOME: path.join(TMP, 'xdg-config'),
  XDG_DATA_HOME: path.join(TMP, 'xdg-data'),
  XDG_CACHE_HOME: path.join(TMP, 'xdg-cache'),
};
const csArgs = ['--config', CFG, '--user-data-dir', UD, '--extensions-dir', EXT];

let server;
let context;
async function cleanup() {
  try {
    if (context) await context.close();
  } catch {}
  if (server && server.exitCode === null) {
    // Stop code-server (and its extension host, and dossier) by its process id.
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 50 && server.exitCode === null && server.signalCode === null; i++) await sleep(100);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {}
  }
  // VS Code's logs, with the Dossier output channel, are kept as artefacts.
  try {
    fs.cpSync(path.join(UD, 'logs'), path.join(ARTIFACTS, 'vscode-logs'), { recursive: true });
  } catch {}
  if (process.env.DOSSIER_TEST_KEEP === '1') console.log(`  # kept ${TMP}`);
  else fs.rmSync(TMP, { recursive: true, force: true });
}

async function main() {
  // 1. Install the packaged extension the way a user would.
  let t = Date.now();
  const inst = spawnSync(NODE24, [CODE_SERVER, ...csArgs, '--install-extension', VSIX], {
    env: codeServerEnv,
    encoding: 'utf8',
    timeout: 120000,
  });
  const installed = fs.existsSync(EXT) && fs.readdirSync(EXT).some((d) => d.startsWith('dossier.dossier-'));
  if (
    !check(`code-server --install-extension ${path.basename(VSIX)} (${Date.now() - t} ms)`, inst.status === 0 && installed, `${inst.stdout}\n${inst.stderr}`)
  )
    return;

  // 2. Start code-server on loopback, no auth, its own config and data.
  const port = await freePort();
  t = Date.now();
  server = spawn(NODE24, [CODE_SERVER, ...csArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', WS], {
    env: codeServerEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const csLog = fs.createWriteStream(path.join(ARTIFACTS, 'code-server.log'));
  server.stdout.pipe(csLog);
  server.stderr.pipe(csLog);
  const listening = await new Promise((resolve) => {
    let buf = '';
    const timer = setTimeout(() => resolve(false), 60000);
    const onData = (d) => {
      buf += d;
      if (buf.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', () => resolve(false));
  });
  if (!check(`code-server listening on 127.0.0.1:${port} (${Date.now() - t} ms)`, listening)) return;

  // 3. A real browser on the workbench.
  context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    // Keep Chromium's crash reports and dconf out of $HOME.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(TMP, 'xdg-config'), XDG_CACHE_HOME: path.join(TMP, 'xdg-cache') },
    viewport: { width: 1280, height: 760 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30000);
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  t = Date.now();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(WS)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 }).catch(() => {});
  check(`workbench loaded (${Date.now() - t} ms)`, true);

  const shot = async (name) => {
    const file = path.join(ARTIFACTS, `vscode-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
  const statusBar = page.locator('.statusbar');
  const activeTab = page.locator('.tabs-container .tab.active');
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).last();
  const editorFocus = async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
  };
  const goTo = async (line, col) => {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(`${line}:${col}`);
    await page.keyboard.press('Enter');
    await sleep(200);
  };
  const openFile = async (name) => {
    const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
    if ((await tab.count()) > 0) {
      await tab.click();
    } else {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    }
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await sleep(300);
  };
  const runCommand = async (title) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  const cursorPos = async () => (await page.locator('#status\\.editor\\.selection').innerText().catch(() => '')).trim();

  // 4. Open the example note.
  t = Date.now();
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 300 } });
  await openFile('example.md');
  const tabText = async () => (await activeTab.innerText().catch(() => '')).replace(/\s+/g, '');
  if (!check(`opened ${NOTE_REL} (${Date.now() - t} ms)`, (await tabText()).includes('example.md'), await tabText())) return;

  // 5. The status-bar item reaches "ready" with the corpus size.
  t = Date.now();
  const item = statusBar.locator('.statusbar-item', { hasText: 'Dossier' });
  const nArticles = fs.readdirSync(path.join(WS, 'corpus')).filter((f) => !f.startsWith('.')).length;
  const readyText = new RegExp(`Dossier: ${nArticles} articles`);
  const ready = await item
    .filter({ hasText: readyText })
    .first()
    .waitFor({ timeout: 60000 })
    .then(() => true)
    .catch(() => false);
  if (
    !check(
      `status bar shows the corpus: "${(await item.first().innerText().catch(() => '(none)')).trim()}" (${Date.now() - t} ms)`,
      ready,
      await statusBar.innerText().catch(() => ''),
    )
  ) {
    await shot('not-ready');
    await runCommand('Dossier: Show Server Output').catch(() => {});
    await sleep(1000);
    for (const f of findFiles(path.join(UD, 'logs'), /Dossier\.log$/)) {
      log(`${path.relative(UD, f)}:`);
      for (const l of fs.readFileSync(f, 'utf8').split('\n').slice(0, 60)) log(l);
    }
    return; // without a running server nothing below can pass
  }

  // 6. The date-conflict diagnostic: a squiggle, the hover message, the Problems panel.
  t = Date.now();
  const squiggle = await page
    .locator('.squiggly-warning')
    .first()
    .waitFor({ timeout: 60000 })
    .then(() => true)
    .catch(() => false);
  check(`a warning squiggle appears in the note (${Date.now() - t} ms)`, squiggle);
  await page.keyboard.press('Control+Shift+M'); // Problems panel
  const problems = page.locator('.markers-panel');
  const problemRow = problems.locator('.monaco-list-row', { hasText: 'date-conflict' }).first();
  const inProblems = await problemRow
    .waitFor({ timeout: 20000 })
    .then(() => true)
    .catch(() => false);
  const problemsText = await problems.innerText().catch(() => '');
  check('Problems lists a dossier date-conflict warning', inProblems && /dossier/.test(problemsText), problemsText);
  await editorFocus();
  const oct = lineCol(NOTE_TEXT, 'October', 2);
  await goTo(oct.line, oct.col);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const diagHover = await hover
    .filter({ hasText: 'September' })
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  // The hover adds "Quick Fix… (Ctrl+.)" once the server's code actions arrive.
  const quickFixLink = await hover
    .filter({ hasText: 'Quick Fix' })
    .waitFor({ timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (!quickFixLink) log('the diagnostic hover shows no "Quick Fix…" link');
  const diagHoverText = await hover.innerText().catch(() => '');
  check('hover on "October" shows the conflict with September', diagHover, diagHoverText);
  log(`diagnostic hover: ${diagHoverText.replace(/\s+/g, ' ').slice(0, 300)}`);
  const diagShot = await shot('diagnostic');

  // 7. Hover card on a surname.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+J'); // hide the panel again
  await editorFocus();
  const ruto = lineCol(NOTE_TEXT, 'Ruto met', 1);
  await goTo(ruto.line, ruto.col);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const card = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: 'William Ruto' }).first();
  const hoverShown = await card
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  const cardText = hoverShown ? await card.innerText() : await hover.innerText().catch(() => '(no hover)');
  if (check('hover on "Ruto" shows a card', hoverShown, cardText)) {
    const firstLine = cardText.split('\n').find((l) => l.trim() !== '') ?? '';
    check('the card is headed "William Ruto"', firstLine.trim() === 'William Ruto', cardText);
    const h3 = await card.locator('h3').first().innerText().catch(() => '');
    check('the heading is rendered as a Markdown heading', h3.trim() === 'William Ruto', `h3: ${h3}`);
    check('the card gives the kind and role', /person/.test(cardText) && /Kenyan President/.test(cardText), cardText);
    log(`hover card: ${cardText.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  const hoverShot = await shot('hover');

  // 8. Go to Definition (F12) on the quotation → the passage in article 001.
  await page.keyboard.press('Escape');
  await editorFocus();
  const quote = lineCol(NOTE_TEXT, 'important security partners', 3);
  await goTo(quote.line, quote.col);
  t = Date.now();
  await page.keyboard.press('F12');
  const opened = await page
    .locator('.tabs-container .tab.active', { hasText: ART1 })
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  const want = lineCol(ART1_TEXT, 'one of our most important security partners in Africa');
  if (check(`F12 on the quotation opens ${ART1} (${Date.now() - t} ms)`, opened, `active tab: ${await tabText()}`)) {
    await sleep(500);
    const pos = await cursorPos();
    check(`the cursor is on the passage: "${pos}", want Ln ${want.line}, Col ${want.col}`, pos.startsWith(`Ln ${want.line}, Col ${want.col}`), pos);
    const lineShown = await page.locator('.editor-instance .view-line', { hasText: 'one of our most important security partners' }).count();
    check('the passage is visible in the editor', lineShown > 0);
  }
  await shot('goto-source');

  // 9. The command "Dossier: Open Source of Item Under Cursor" on a citation.
  await openFile('example.md');
  const cite = lineCol(NOTE_TEXT, '[@004]', 2);
  await goTo(cite.line, cite.col);
  t = Date.now();
  await runCommand('Dossier: Open Source of Item Under Cursor');
  const opened4 = await page
    .locator('.tabs-container .tab.active', { hasText: ART4 })
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  check(`"Dossier: Open Source" on [@004] opens ${ART4} (${Date.now() - t} ms)`, opened4, `active tab: ${await tabText()}`);

  // 10. Quick fix (Ctrl+.) on the conflict: October → September.
  await openFile('example.md');
  await goTo(oct.line, oct.col);
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'September' }).first();
  const offered = await fix
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  check('Ctrl+. offers "Replace with “September”"', offered, await page.locator('.action-widget').innerText().catch(() => '(no code action menu)'));
  if (offered) {
    await shot('quick-fix');
    await fix.click();
    const changed = await page
      .locator('.editor-instance .view-line', { hasText: 'in Nairobi in September' })
      .first()
      .waitFor({ timeout: 10000 })
      .then(() => true)
      .catch(() => false);
    check('the quick fix changed the note to "in Nairobi in September"', changed);
    const cleared = await page
      .locator('.editor-instance .squiggly-warning')
      .first()
      .waitFor({ state: 'detached', timeout: 10000 })
      .then(() => true)
      .catch(() => false);
    check('the date-conflict squiggle is gone after the fix', cleared);
  }

  // 11. "Dossier: Show Server Output" shows the Dossier channel.
  await runCommand('Dossier: Show Server Output');
  const outputShown = await page
    .locator('.part.panel', { hasText: /Starting\s.*\slsp\s/ })
    .first()
    .waitFor({ timeout: 10000 })
    .then(() => true)
    .catch(() => false);
  check('"Dossier: Show Server Output" shows the server log', outputShown, await page.locator('.part.panel').innerText().catch(() => ''));
  await shot('output');

  // 12. "Dossier: Restart Server" comes back ready.
  await runCommand('Dossier: Restart Server');
  await sleep(500);
  const readyAgain = await item
    .filter({ hasText: readyText })
    .first()
    .waitFor({ timeout: 30000 })
    .then(() => true)
    .catch(() => false);
  if (!check('"Dossier: Restart Server" restarts and re-indexes', readyAgain, await statusBar.innerText().catch(() => ''))) {
    await shot('restart');
    log(await page.locator('.part.panel').innerText().catch(() => ''));
  }

  if (consoleErrors.length) log(`browser console errors: ${consoleErrors.length} (see code-server.log)`);
  if (UPDATE) {
    const dest = path.join(REPO, 'editors', 'screenshots');
    fs.mkdirSync(dest, { recursive: true });
    fs.copyFileSync(hoverShot, path.join(dest, 'hover.png'));
    fs.copyFileSync(diagShot, path.join(dest, 'diagnostic.png'));
    log(`updated ${path.relative(REPO, dest)}/hover.png and diagnostic.png`);
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    console.log(`  # ${sig}: cleaning up`);
    await cleanup();
    process.exit(1);
  });
}

const hardStop = setTimeout(async () => {
  check('finished within 300 s', false, 'timeout');
  console.log(`${passed} passed, ${failed} failed`);
  await cleanup();
  process.exit(1);
}, 300000);

try {
  await main();
} catch (err) {
  check('test ran without an exception', false, err?.stack ?? String(err));
  try {
    const page = context?.pages()[0];
    if (page) await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-failure.png') });
  } catch {}
} finally {
  clearTimeout(hardStop);
  await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
