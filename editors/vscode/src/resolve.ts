// Where the extension finds the `dossier` server, without touching VS Code's
// API (so it can be tested with plain Node: `npm test`).
//
// Order: the `dossier.server.path` setting if set (and only it: an explicit
// choice is never second-guessed), else `dossier` on the extension host's
// PATH, else Cargo's bin folder (`$CARGO_HOME/bin`, `~/.cargo/bin`, on Windows
// `%USERPROFILE%\.cargo\bin\dossier.exe`: where `cargo install --locked
// --path .` puts it, and which the extension host's PATH often lacks in
// code-server, remote windows or apps started from a desktop launcher), else
// the server bundled inside a platform .vsix (`server/dossier`).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

export type ServerSource = 'setting' | 'PATH' | 'cargo' | 'bundled';

export interface ResolveInput {
  /** `dossier.server.path`, '' when not set. `~`, `${userHome}` and `${workspaceFolder}` are expanded. */
  setting: string;
  env: Record<string, string | undefined>;
  platform: string;
  home: string;
  extensionPath: string;
  workspaceFolder?: string;
  /** Defaults to a file-system check (an executable regular file). */
  isExecutable?: (p: string) => boolean;
}

export interface Attempt {
  /** What was looked at, for the user: `~/.cargo/bin/dossier`, `dossier on PATH (…)`. */
  what: string;
  found: boolean;
}

export interface Resolved {
  path?: string;
  source?: ServerSource;
  tried: Attempt[];
}

interface PathApi {
  join(...p: string[]): string;
  isAbsolute(p: string): boolean;
  delimiter: string;
}

// Node's path.win32 / path.posix, picked by `platform` so the Windows rules can be tested anywhere.
function pathApi(platform: string): PathApi {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

export function defaultIsExecutable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `~`, `${userHome}` and `${workspaceFolder}` in a setting. */
export function expandPath(p: string, home: string, platform: string, workspaceFolder?: string): string {
  const P = pathApi(platform);
  let out = p.trim();
  if (out === '~' || out.startsWith('~/') || (platform === 'win32' && out.startsWith('~\\'))) {
    out = P.join(home, out.slice(1));
  }
  if (workspaceFolder) out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  return out.replace(/\$\{userHome\}/g, home);
}

/** Replace the home folder by `~` for messages. */
export function tildify(p: string, home: string): string {
  return home && (p === home || p.startsWith(home + '/') || p.startsWith(home + '\\')) ? '~' + p.slice(home.length) : p;
}

function onPath(name: string, input: ResolveInput, isExec: (p: string) => boolean): string | undefined {
  const P = pathApi(input.platform);
  const win = input.platform === 'win32';
  const pathVar = (win ? input.env.Path ?? input.env.PATH : input.env.PATH) ?? '';
  const exts = win ? ['', ...(input.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e)] : [''];
  for (const dir of pathVar.split(P.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = P.join(dir, name + ext);
      if (isExec(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Cargo's bin folders: `$CARGO_HOME/bin` (if set), then `~/.cargo/bin` (`%USERPROFILE%\.cargo\bin`). */
function cargoBins(input: ResolveInput): string[] {
  const P = pathApi(input.platform);
  const out: string[] = [];
  const cargoHome = input.env.CARGO_HOME?.trim();
  if (cargoHome) out.push(P.join(expandPath(cargoHome, input.home, input.platform), 'bin'));
  const home = input.platform === 'win32' ? input.env.USERPROFILE || input.home : input.home;
  if (home) {
    const d = P.join(home, '.cargo', 'bin');
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

export function resolveServer(input: ResolveInput): Resolved {
  const isExec = input.isExecutable ?? defaultIsExecutable;
  const P = pathApi(input.platform);
  const exe = input.platform === 'win32' ? 'dossier.exe' : 'dossier';
  const tried: Attempt[] = [];
  const setting = input.setting.trim();
  if (setting) {
    const expanded = expandPath(setting, input.home, input.platform, input.workspaceFolder);
    // A bare name (`dossier`) is looked up on PATH, a path is taken as it is.
    const abs = P.isAbsolute(expanded) || /[\\/]/.test(expanded) ? expanded : onPath(expanded, input, isExec) ?? expanded;
    const ok = isExec(abs);
    tried.push({ what: `dossier.server.path = ${setting}${abs !== setting ? ` (${abs})` : ''}`, found: ok });
    return ok ? { path: abs, source: 'setting', tried } : { tried };
  }
  const fromPath = onPath('dossier', input, isExec);
  tried.push({ what: "`dossier` on the extension host's PATH", found: !!fromPath });
  if (fromPath) return { path: fromPath, source: 'PATH', tried };
  for (const dir of cargoBins(input)) {
    const p = P.join(dir, exe);
    const ok = isExec(p);
    tried.push({ what: tildify(p, input.home), found: ok });
    if (ok) return { path: p, source: 'cargo', tried };
  }
  const bundled = P.join(input.extensionPath, 'server', exe);
  const ok = isExec(bundled);
  tried.push({ what: `the server bundled in the extension (${bundled})`, found: ok });
  if (ok) return { path: bundled, source: 'bundled', tried };
  return { tried };
}

/** The one error message shown when no server was found. */
export function notFoundMessage(r: Resolved): string {
  const looked = r.tried.map((t) => t.what).join('; ');
  const explicit = r.tried.length === 1 && r.tried[0].what.startsWith('dossier.server.path');
  if (explicit) {
    return `Dossier: the server set in dossier.server.path is not an executable file: ${looked.replace(/^dossier\.server\.path = /, '')}. Fix the setting or clear it to use the \`dossier\` on PATH or in ~/.cargo/bin.`;
  }
  return (
    `Dossier: the \`dossier\` server was not found. Looked for: ${looked}. ` +
    'Install it with `cargo install --locked --path .` in the Dossier repository (it goes to ~/.cargo/bin), ' +
    'or set dossier.server.path to the binary.'
  );
}
