// Unit tests of src/resolve.ts (where the extension finds the server), Linux and Windows rules.
//   npm test        (bundles src/resolve.ts with esbuild, then node --test)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { resolveServer, notFoundMessage } = require('../out-test/resolve.cjs');

const linux = (files, extra = {}) => ({
  setting: '',
  env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  platform: 'linux',
  home: '/home/ana',
  extensionPath: '/home/ana/.vscode/extensions/dossier.dossier-0.1.0',
  isExecutable: (p) => files.includes(p),
  ...extra,
});

test('PATH first', () => {
  const r = resolveServer(linux(['/usr/bin/dossier', '/home/ana/.cargo/bin/dossier']));
  assert.equal(r.path, '/usr/bin/dossier');
  assert.equal(r.source, 'PATH');
});

test('~/.cargo/bin when PATH lacks it (what `cargo install --locked --path .` gives)', () => {
  const r = resolveServer(linux(['/home/ana/.cargo/bin/dossier']));
  assert.equal(r.path, '/home/ana/.cargo/bin/dossier');
  assert.equal(r.source, 'cargo');
});

test('$CARGO_HOME/bin before ~/.cargo/bin', () => {
  const r = resolveServer(linux(['/opt/cargo/bin/dossier', '/home/ana/.cargo/bin/dossier'], { env: { PATH: '/usr/bin', CARGO_HOME: '/opt/cargo' } }));
  assert.equal(r.path, '/opt/cargo/bin/dossier');
});

test('the bundled server last', () => {
  const bundled = '/home/ana/.vscode/extensions/dossier.dossier-0.1.0/server/dossier';
  const r = resolveServer(linux([bundled]));
  assert.equal(r.path, bundled);
  assert.equal(r.source, 'bundled');
});

test('nothing found: one message naming every place looked at', () => {
  const r = resolveServer(linux([]));
  assert.equal(r.path, undefined);
  const msg = notFoundMessage(r);
  assert.match(msg, /`dossier` on the extension host's PATH/);
  assert.match(msg, /~\/\.cargo\/bin\/dossier/);
  assert.match(msg, /server\/dossier/);
  assert.match(msg, /cargo install --locked --path \./);
});

test('the setting wins, with ~ expanded, and is not second-guessed', () => {
  assert.equal(resolveServer(linux(['/home/ana/src/dossier', '/usr/bin/dossier'], { setting: '~/src/dossier' })).path, '/home/ana/src/dossier');
  const r = resolveServer(linux(['/usr/bin/dossier'], { setting: '/nowhere/dossier' }));
  assert.equal(r.path, undefined);
  assert.match(notFoundMessage(r), /dossier\.server\.path is not an executable file: \/nowhere\/dossier/);
});

test('a bare name in the setting is looked up on PATH', () => {
  assert.equal(resolveServer(linux(['/usr/local/bin/dossier-dev'], { setting: 'dossier-dev' })).path, '/usr/local/bin/dossier-dev');
});

test('Windows: PATHEXT on Path, then %USERPROFILE%\\.cargo\\bin\\dossier.exe, then server\\dossier.exe', () => {
  const win = (files) => ({
    setting: '',
    env: { Path: 'C:\\Windows\\system32;C:\\tools', PATHEXT: '.COM;.EXE;.BAT', USERPROFILE: 'C:\\Users\\ana' },
    platform: 'win32',
    home: 'C:\\Users\\ana',
    extensionPath: 'C:\\Users\\ana\\.vscode\\extensions\\dossier',
    isExecutable: (p) => files.includes(p),
  });
  assert.equal(resolveServer(win(['C:\\tools\\dossier.EXE'])).path, 'C:\\tools\\dossier.EXE');
  assert.equal(resolveServer(win(['C:\\Users\\ana\\.cargo\\bin\\dossier.exe'])).path, 'C:\\Users\\ana\\.cargo\\bin\\dossier.exe');
  assert.equal(resolveServer(win(['C:\\Users\\ana\\.vscode\\extensions\\dossier\\server\\dossier.exe'])).source, 'bundled');
  assert.match(notFoundMessage(resolveServer(win([]))), /~\\\.cargo\\bin\\dossier\.exe/);
});
