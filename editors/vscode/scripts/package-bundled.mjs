// Packages a platform .vsix with the server inside (server/dossier), for
// analysts without Rust: the extension uses it when no `dossier` is set,
// on PATH or in ~/.cargo/bin.
//   npm run package:bundled          → dossier-<platform>-<version>.vsix
// The binary: $DOSSIER_BIN, else <repo>/target/release/dossier (run
// `cargo build --release` first). The target is this machine's
// (linux-x64, linux-arm64, darwin-arm64, win32-x64, …); set
// DOSSIER_VSIX_TARGET when the binary was built for another one.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target =
  process.env.DOSSIER_VSIX_TARGET || `${process.platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`;
const win = target.startsWith('win32');
const exe = win ? 'dossier.exe' : 'dossier';
const src = path.resolve(process.env.DOSSIER_BIN || path.join(ext, '..', '..', 'target', 'release', exe));
if (!fs.existsSync(src)) {
  console.error(`no server binary at ${src}: run \`cargo build --release\` first (or set DOSSIER_BIN)`);
  process.exit(1);
}
const version = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')).version;
const out = `dossier-${target}-${version}.vsix`;
const dest = path.join(ext, 'server');
fs.rmSync(dest, { recursive: true, force: true });
fs.mkdirSync(dest, { recursive: true });
fs.copyFileSync(src, path.join(dest, exe));
fs.chmodSync(path.join(dest, exe), 0o755);
console.log(`bundled ${src} -> server/${exe}`);
let status = 1;
try {
  const vsce = path.join(ext, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const r = spawnSync(
    vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--target', target, '--out', out],
    { cwd: ext, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  status = r.status ?? 1;
} finally {
  fs.rmSync(dest, { recursive: true, force: true });
}
if (status === 0) console.log(`wrote ${out}`);
process.exit(status);
