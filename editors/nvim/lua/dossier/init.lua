--- Dossier: checks briefing notes against a corpus of news articles.
--- Neovim 0.11+ integration built on the editor's own LSP client.
---
---   require('dossier').setup {
---     cmd = { 'dossier', 'lsp' },        -- or a path: '/opt/dossier/bin/dossier'
---     corpus = { '~/news/kenya' },       -- optional; else dossier.toml decides
---     filetypes = { 'markdown', 'text' },
---     diagnostics = { disabled = { 'unverified-quote' } },
---     keymaps = true,                    -- buffer-local `gd` → go to source
---   }
local M = {}

M.name = 'dossier'
M.root_markers = { 'dossier.toml' }

--- Latest `dossier/status` notification per client id (for statuslines).
M._status = {}

local defaults = {
  cmd = nil, -- default: { 'dossier', 'lsp' }
  corpus = nil, -- list of folders; relative paths are resolved against the cwd
  filetypes = { 'markdown', 'text' },
  diagnostics = nil, -- { disabled = { 'date-conflict', ... } }
  keymaps = true,
  trace = nil, -- 'off' | 'messages' | 'verbose'
}

M.options = vim.deepcopy(defaults)

local function as_list(v)
  if v == nil then
    return nil
  end
  if type(v) == 'string' then
    return { v }
  end
  return v
end

--- Where `dossier` is looked for when `cmd` is not set: PATH, then Cargo's
--- bin folder (`$CARGO_HOME/bin`, `~/.cargo/bin`), where
--- `cargo install --locked --path .` puts it (a Neovim started from a desktop
--- launcher may not have it on PATH).
function M.cargo_bins()
  local out = {}
  local cargo_home = vim.env.CARGO_HOME
  if cargo_home and cargo_home ~= '' then
    out[#out + 1] = vim.fs.joinpath(vim.fn.expand(cargo_home), 'bin')
  end
  local home = vim.uv.os_homedir()
  if home then
    local d = vim.fs.joinpath(home, '.cargo', 'bin')
    if not vim.tbl_contains(out, d) then
      out[#out + 1] = d
    end
  end
  return out
end

--- The server binary: `dossier` on PATH, else in Cargo's bin folder.
--- Returns the path (or nil) and the places looked at, for messages.
function M.find_server()
  local exe = vim.fn.has('win32') == 1 and 'dossier.exe' or 'dossier'
  local looked = { '`dossier` on PATH' }
  if vim.fn.executable('dossier') == 1 then
    return vim.fn.exepath('dossier'), looked
  end
  for _, dir in ipairs(M.cargo_bins()) do
    local p = vim.fs.joinpath(dir, exe)
    looked[#looked + 1] = vim.fn.fnamemodify(p, ':~')
    if vim.fn.executable(p) == 1 then
      return p, looked
    end
  end
  return nil, looked
end

local function normalize_cmd(cmd)
  if cmd == nil then
    -- `dossier` when it is on PATH (found again at each start), else the one
    -- in ~/.cargo/bin; when there is none, `dossier` (reported missing once).
    local found = M.find_server()
    if found and vim.fn.executable('dossier') ~= 1 then
      return { found, 'lsp' }
    end
    return { 'dossier', 'lsp' }
  end
  if type(cmd) == 'string' then
    -- A bare path to the binary: add the `lsp` subcommand.
    return { vim.fn.expand(cmd), 'lsp' }
  end
  return cmd
end

local function abs_corpus(corpus)
  corpus = as_list(corpus)
  if not corpus then
    return nil
  end
  local out = {}
  for _, p in ipairs(corpus) do
    out[#out + 1] = vim.fs.normalize(vim.fn.fnamemodify(vim.fn.expand(p), ':p'))
  end
  return out
end

--- The server's settings (sent as initializationOptions and as
--- workspace/didChangeConfiguration `{ dossier = … }`).
local function server_settings(opts)
  local s = {}
  local corpus = abs_corpus(opts.corpus)
  if corpus and #corpus > 0 then
    s.corpus = corpus
  end
  if opts.diagnostics then
    s.diagnostics = opts.diagnostics
  end
  return s
end

--- Handler for the server's `dossier/status` notification.
function M.on_status(_, result, ctx)
  if type(result) ~= 'table' then
    return
  end
  M._status[ctx.client_id] = result
  vim.api.nvim_exec_autocmds('User', { pattern = 'DossierStatus', modeline = false, data = result })
  if result.state == 'error' or result.state == 'no-corpus' then
    vim.notify('Dossier: ' .. (result.message or result.state), vim.log.levels.WARN)
  end
end

--- One-line status for a statusline, e.g. `Dossier: 5 articles, 120 entities`.
function M.status()
  local s
  for _, v in pairs(M._status) do
    s = v
  end
  if not s then
    return ''
  end
  if s.state == 'indexing' then
    return ('Dossier: indexing %d/%d'):format(s.indexed or 0, s.total or 0)
  elseif s.state == 'ready' then
    return ('Dossier: %d articles, %d entities'):format(s.articles or 0, s.entities or 0)
  end
  return 'Dossier: ' .. (s.message or s.state or '')
end

local function on_attach(client, bufnr)
  if M.options.keymaps then
    -- Neovim maps K (hover), grr (references), gra (code action) and [d ]d
    -- by default; `gd` is still Vim's "local declaration", so map it here.
    vim.keymap.set('n', 'gd', vim.lsp.buf.definition, { buffer = bufnr, desc = 'Dossier: go to source' })
  end
end

--- Decide the root folder: the nearest dossier.toml, or, when a corpus is
--- configured, the file's folder (or the cwd) so notes outside any
--- workspace are still checked.
local function root_dir(bufnr, on_dir)
  local root = vim.fs.root(bufnr, M.root_markers)
  if root then
    return on_dir(root)
  end
  local corpus = M.options.corpus
  if corpus and #as_list(corpus) > 0 then
    local name = vim.api.nvim_buf_get_name(bufnr)
    on_dir(name ~= '' and vim.fs.dirname(name) or vim.uv.cwd())
  end
  -- Otherwise: not a Dossier workspace, do not start.
end

--- The configuration for `vim.lsp.config('dossier', …)`.
function M.default_config(opts)
  opts = vim.tbl_deep_extend('force', M.options, opts or {})
  local settings = server_settings(opts)
  local cfg = {
    cmd = normalize_cmd(opts.cmd),
    filetypes = opts.filetypes,
    root_markers = M.root_markers,
    root_dir = root_dir,
    init_options = settings,
    settings = next(settings) and { dossier = settings } or {},
    handlers = { ['dossier/status'] = M.on_status },
    on_attach = on_attach,
  }
  if opts.trace then
    cfg.trace = opts.trace
  end
  return cfg
end

local function clients()
  return vim.lsp.get_clients({ name = M.name })
end

--- Restart every Dossier client (re-reads dossier.toml and the corpus).
function M.restart()
  local bufs = {}
  for _, c in ipairs(clients()) do
    for b in pairs(c.attached_buffers) do
      bufs[b] = true
    end
    c:stop()
  end
  vim.defer_fn(function()
    for b in pairs(bufs) do
      if vim.api.nvim_buf_is_valid(b) then
        vim.api.nvim_exec_autocmds('FileType', { buffer = b, modeline = false })
      end
    end
  end, 500)
end

--- Set up Dossier. Safe to call more than once.
function M.setup(opts)
  if vim.fn.has('nvim-0.11') ~= 1 then
    vim.notify('dossier.nvim needs Neovim 0.11 or newer', vim.log.levels.ERROR)
    return
  end
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.filetypes then
    M.options.filetypes = opts.filetypes -- lists replace, not merge
  end
  vim.lsp.config(M.name, M.default_config())
  vim.lsp.enable(M.name)
end

--- Is the Dossier config enabled (by setup{} or vim.lsp.enable('dossier'))?
local function enabled()
  if vim.lsp.is_enabled then
    return vim.lsp.is_enabled(M.name)
  end
  return vim.lsp._enabled_configs ~= nil and vim.lsp._enabled_configs[M.name] ~= nil
end

--- The server command in effect and, when its program cannot run, why:
--- returns cmd, problem (nil when fine), places looked at.
function M.server_problem()
  local cfg = vim.lsp.config[M.name]
  local cmd = cfg and cfg.cmd or { 'dossier', 'lsp' }
  if type(cmd) ~= 'table' then
    return cmd, nil, {} -- a function: nothing to check
  end
  local prog = cmd[1]
  if vim.fn.executable(prog) == 1 then
    return cmd, nil, { prog }
  end
  if prog == 'dossier' then
    local _, looked = M.find_server()
    return cmd, ('the server `dossier` was not found (looked for %s)'):format(table.concat(looked, ', ')), looked
  end
  return cmd, ('the server `%s` (cmd) is not an executable file'):format(prog), { prog }
end

M._warned_missing = false

--- Called on FileType for notes: when the buffer is in a Dossier workspace
--- and the server cannot run, say so once (Neovim itself skips a config
--- whose cmd is not executable without a word).
function M.warn_if_missing(bufnr)
  if M._warned_missing or not enabled() then
    return
  end
  local cfg = vim.lsp.config[M.name]
  local fts = cfg and cfg.filetypes or M.options.filetypes
  if not vim.tbl_contains(fts, vim.bo[bufnr].filetype) then
    return
  end
  local corpus = M.options.corpus
  if not vim.fs.root(bufnr, M.root_markers) and not (corpus and #as_list(corpus) > 0) then
    return -- not a Dossier workspace: nothing would have started anyway
  end
  local _, problem = M.server_problem()
  if not problem then
    return
  end
  M._warned_missing = true
  vim.notify(
    ('Dossier: %s, so this note is not checked.\n'):format(problem)
      .. 'Install it with `cargo install --locked --path .` in the Dossier repository (it goes to ~/.cargo/bin), '
      .. "or set the path: require('dossier').setup{ cmd = '/path/to/dossier' }. Details: :checkhealth dossier",
    vim.log.levels.ERROR,
    { title = 'Dossier' }
  )
end

M.clients = clients
return M
