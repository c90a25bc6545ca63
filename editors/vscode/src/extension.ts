// Dossier for VS Code: starts `dossier lsp` for Markdown and plain-text notes
// in workspaces that hold a dossier.toml (or when `dossier.corpus` is set),
// shows the server's indexing state in the status bar, and adds three
// commands: restart the server, open the source of the item under the
// cursor, show the server's output.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  Location,
  LocationLink,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { expandPath as expandSettingPath, notFoundMessage, Resolved, resolveServer } from './resolve';

const SECTION = 'dossier';
const ROOT_MARKER = 'dossier.toml';

/** Params of the server's `dossier/status` notification. */
interface DossierStatus {
  state: 'indexing' | 'ready' | 'no-corpus' | 'error' | string;
  indexed?: number;
  total?: number;
  articles?: number;
  entities?: number;
  message?: string;
}

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
/** Set when no server binary was found: the error is shown once, not again for every note opened. */
let serverMissing = false;
let statusItem: vscode.StatusBarItem;
let outputChannel: vscode.LogOutputChannel;
let extensionPath = '';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  outputChannel = vscode.window.createOutputChannel('Dossier', { log: true });
  statusItem = vscode.window.createStatusBarItem('dossier.status', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'Dossier';
  statusItem.command = 'dossier.showOutput';
  context.subscriptions.push(outputChannel, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('dossier.restartServer', () => restart()),
    vscode.commands.registerCommand('dossier.showOutput', () => outputChannel.show(true)),
    vscode.commands.registerCommand('dossier.openSource', () => openSource()),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigChanged(e)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => maybeStart()),
    vscode.workspace.onDidOpenTextDocument((doc) => (isNote(doc) ? maybeStart() : undefined)),
  );
  // A dossier.toml created later starts the server too.
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${ROOT_MARKER}`);
  context.subscriptions.push(watcher, watcher.onDidCreate(() => maybeStart()));

  await maybeStart();
}

export async function deactivate(): Promise<void> {
  await stop();
}

// ---------------------------------------------------------------------------
// When to run

function configuredCorpus(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<string[]>('corpus', []).filter((s) => s.trim() !== '');
}

/** The folder holding dossier.toml: a workspace folder, or the nearest one above an open note. */
async function findRoot(): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file' && fs.existsSync(path.join(folder.uri.fsPath, ROOT_MARKER))) {
      return folder.uri;
    }
  }
  const found = await vscode.workspace.findFiles(`**/${ROOT_MARKER}`, '**/node_modules/**', 1);
  if (found.length > 0) {
    return vscode.Uri.file(path.dirname(found[0].fsPath));
  }
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file' || !isNote(doc)) continue;
    let dir = path.dirname(doc.uri.fsPath);
    for (;;) {
      if (fs.existsSync(path.join(dir, ROOT_MARKER))) return vscode.Uri.file(dir);
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}

function isNote(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' || doc.languageId === 'plaintext';
}

async function maybeStart(): Promise<void> {
  if (client || starting || serverMissing) return;
  const root = await findRoot();
  const corpus = configuredCorpus();
  if (!root && corpus.length === 0) {
    // Not a Dossier workspace: stay idle (activated only by a Markdown/text file).
    return;
  }
  starting = start(root).finally(() => (starting = undefined));
  await starting;
}

// ---------------------------------------------------------------------------
// The server

function expandPath(p: string): string {
  return expandSettingPath(p, os.homedir(), process.platform, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
}

/** dossier.server.path, else `dossier` on PATH, else ~/.cargo/bin, else the binary bundled in the .vsix. */
function findServer(): Resolved {
  return resolveServer({
    setting: vscode.workspace.getConfiguration(SECTION).get<string>('server.path', ''),
    env: process.env,
    platform: process.platform,
    home: os.homedir(),
    extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
}

/** The settings the server reads (initializationOptions and didChangeConfiguration). */
function serverSettings(): { corpus?: string[]; diagnostics: { disabled: string[] } } {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const corpus = configuredCorpus().map((p) => path.resolve(base, expandPath(p)));
  const disabled = cfg.get<string[]>('diagnostics.disabled', []);
  const settings: { corpus?: string[]; diagnostics: { disabled: string[] } } = { diagnostics: { disabled } };
  if (corpus.length > 0) settings.corpus = corpus;
  return settings;
}

async function start(root: vscode.Uri | undefined): Promise<void> {
  const server = findServer();
  outputChannel.info(`Looked for the server: ${server.tried.map((t) => `${t.what}: ${t.found ? 'found' : 'no'}`).join('; ')}`);
  outputChannel.info(`The extension host's PATH: ${process.env.PATH ?? '(not set)'}`);
  if (!server.path) {
    serverMissing = true;
    const msg = notFoundMessage(server);
    outputChannel.error(msg);
    showStatus({ state: 'error', message: 'server not found — click for details' });
    // Not awaited: the message stays until the user closes it, and the start must not wait for that.
    void vscode.window.showErrorMessage(msg, 'Open Settings', 'Show Output').then(async (choice) => {
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'dossier.server.path');
      } else if (choice === 'Show Output') {
        outputChannel.show(true);
      }
    });
    return;
  }
  outputChannel.info(
    `Starting ${server.path} lsp (found via ${server.source}; workspace: ${root?.fsPath ?? 'none; corpus from settings'})`,
  );

  // No `transport`: TransportKind.stdio would append `--stdio` to the
  // arguments; an Executable without one talks over stdio as it is.
  const run = {
    command: server.path,
    args: ['lsp'],
    options: { cwd: root?.fsPath, env: { ...process.env, RUST_BACKTRACE: '1' } },
  };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'untitled', language: 'plaintext' },
    ],
    outputChannel,
    initializationOptions: serverSettings(),
    workspaceFolder: root ? vscode.workspace.getWorkspaceFolder(root) : undefined,
    middleware: {
      // Hide diagnostics the user turned off, even if the server sends them.
      handleDiagnostics: (uri, diagnostics, next) => {
        const disabled = new Set(vscode.workspace.getConfiguration(SECTION).get<string[]>('diagnostics.disabled', []));
        next(
          uri,
          diagnostics.filter((d) => {
            const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
            return code === undefined || !disabled.has(String(code));
          }),
        );
      },
      workspace: {
        // workspace/configuration for section "dossier" gets the resolved settings.
        configuration: (params, token, next) => {
          const items = params.items;
          return (async () => {
            const rest = await next(params, token);
            if (!Array.isArray(rest)) return rest;
            return items.map((item, i) => (item.section === SECTION ? serverSettings() : rest[i]));
          })();
        },
      },
    },
  };

  const c = new LanguageClient('dossier', 'Dossier', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) {
      showStatus({ state: 'error', message: 'server stopped' });
    }
  });
  showStatus({ state: 'indexing', message: 'starting' });
  try {
    await c.start();
  } catch (err) {
    outputChannel.error(`Dossier server failed to start: ${String(err)}`);
    showStatus({ state: 'error', message: String(err) });
    client = undefined;
    return;
  }
  c.onNotification('dossier/status', (params: DossierStatus) => showStatus(params));
  await vscode.commands.executeCommand('setContext', 'dossier.active', true);
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  await vscode.commands.executeCommand('setContext', 'dossier.active', false);
  if (c) {
    try {
      await c.stop(5000);
    } catch (err) {
      outputChannel.warn(`Stopping the server: ${String(err)}`);
    }
    c.dispose();
  }
}

async function restart(): Promise<void> {
  outputChannel.info('Restarting the Dossier server');
  if (starting) await starting;
  await stop();
  statusItem.hide();
  serverMissing = false; // look for the binary again (it may have been installed since)
  await maybeStart();
  if (!client && !serverMissing) {
    void vscode.window.showWarningMessage('Dossier: no dossier.toml in this workspace and no dossier.corpus set.');
  }
}

function onConfigChanged(e: vscode.ConfigurationChangeEvent): void {
  if (e.affectsConfiguration('dossier.server.path')) {
    void restart();
    return;
  }
  if (e.affectsConfiguration('dossier.corpus') || e.affectsConfiguration('dossier.diagnostics')) {
    if (!client) {
      void maybeStart();
      return;
    }
    void client.sendNotification('workspace/didChangeConfiguration', { settings: { [SECTION]: serverSettings() } });
  }
}

// ---------------------------------------------------------------------------
// Status bar

function showStatus(s: DossierStatus): void {
  const n = (v: number | undefined) => (v ?? 0).toLocaleString('en');
  switch (s.state) {
    case 'indexing':
      statusItem.text = s.total
        ? `$(sync~spin) Dossier: indexing ${n(s.indexed)}/${n(s.total)}`
        : '$(sync~spin) Dossier: starting';
      statusItem.tooltip = s.message ?? 'Indexing the corpus';
      statusItem.backgroundColor = undefined;
      break;
    case 'ready':
      statusItem.text = `$(book) Dossier: ${n(s.articles)} articles · ${n(s.entities)} entities`;
      statusItem.tooltip = `${s.message ?? 'Corpus indexed'}\nClick to show the server output`;
      statusItem.backgroundColor = undefined;
      break;
    case 'no-corpus':
      statusItem.text = '$(warning) Dossier: no corpus';
      statusItem.tooltip = s.message ?? 'No corpus: add `corpus = ["…"]` to dossier.toml or set dossier.corpus';
      statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      break;
    default:
      statusItem.text = '$(error) Dossier';
      statusItem.tooltip = s.message ?? s.state;
      statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }
  statusItem.show();
}

// ---------------------------------------------------------------------------
// Commands

/** Ask the server where the item under the cursor comes from and open it there. */
async function openSource(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  if (!client || !client.isRunning()) {
    void vscode.window.showWarningMessage('Dossier is not running for this file.');
    return;
  }
  const c = client;
  const params = c.code2ProtocolConverter.asTextDocumentPositionParams(editor.document, editor.selection.active);
  const result = (await c.sendRequest('textDocument/definition', params)) as
    | Location
    | Location[]
    | LocationLink[]
    | null;
  const first = Array.isArray(result) ? result[0] : result;
  if (!first) {
    void vscode.window.showInformationMessage('Dossier: no source passage for the item under the cursor.');
    return;
  }
  const uri = 'targetUri' in first ? first.targetUri : first.uri;
  const range = 'targetUri' in first ? first.targetSelectionRange : first.range;
  const target = c.protocol2CodeConverter.asRange(range);
  const doc = await vscode.workspace.openTextDocument(c.protocol2CodeConverter.asUri(uri));
  const shown = await vscode.window.showTextDocument(doc, { selection: target, preview: true });
  shown.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
