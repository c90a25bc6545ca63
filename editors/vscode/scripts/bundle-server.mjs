// Copies the dossier binary into server/ so `vsce package` ships it in the
// .vsix (the extension falls back to it when `dossier` is not on PATH).
//   node scripts/bundle-server.mjs [--clean]
// The binary: $DOSSIER_BIN, else ../../target/release/dossier.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, '..');
const dest = path.join(ext, 'server');
if (process.argv.includes('--clean')) {
  fs.rmSync(dest, { recursive: true, force: true });
  process.exit(0);
}
const exe = process.platform === 'win32' ? 'dossier.exe' : 'dossier';
const src = process.env.DOSSIER_BIN ?? path.resolve(ext, '..', '..', 'target', 'release', exe);
if (!fs.existsSync(src)) {
  console.error(`no server binary at ${src}: run \`cargo build --release\` first (or set DOSSIER_BIN)`);
  process.exit(1);
}
fs.mkdirSync(dest, { recursive: true });
fs.copyFileSync(src, path.join(dest, exe));
fs.chmodSync(path.join(dest, exe), 0o755);
console.log(`bundled ${src} -> ${path.relative(ext, path.join(dest, exe))}`);
