-- :checkhealth dossier
local M = {}

function M.check()
  local h = vim.health
  h.start('dossier')
  if vim.fn.has('nvim-0.11') == 1 then
    h.ok('Neovim ' .. tostring(vim.version()))
  else
    h.error('Neovim 0.11 or newer is required (vim.lsp.config / vim.lsp.enable)')
  end

  local dossier = require('dossier')
  local cmd, problem = dossier.server_problem()
  if type(cmd) ~= 'table' then
    h.info('cmd is a function; not checked')
  elseif not problem then
    local exe = vim.fn.exepath(cmd[1])
    local out = vim.system({ exe, '--version' }, { text = true }):wait(5000)
    h.ok(('server: %s (%s)'):format(exe, vim.trim(out.stdout or '')))
  else
    local advice = {
      'Install it: `cargo install --locked --path .` in the Dossier repository (it goes to ~/.cargo/bin), then check with `dossier --version`',
      "or point at the binary: require('dossier').setup{ cmd = '/path/to/dossier' }",
    }
    if cmd[1] == 'dossier' then
      table.insert(advice, 1, 'PATH here is: ' .. (vim.env.PATH or ''))
    end
    h.error(problem, advice)
  end
  local missing = problem ~= nil

  local root = vim.fs.root(0, { 'dossier.toml' }) or vim.fs.root(vim.uv.cwd(), { 'dossier.toml' })
  if root then
    h.ok('workspace: ' .. root .. '/dossier.toml')
  elseif require('dossier').options.corpus then
    h.ok('no dossier.toml; using corpus from setup{}')
  else
    h.warn('no dossier.toml above the current file or folder, and no corpus in setup{}', {
      'Create dossier.toml with: corpus = ["corpus/"]',
    })
  end

  local clients = vim.lsp.get_clients({ name = 'dossier' })
  if #clients == 0 then
    if missing then
      h.info('no Dossier client running: the server binary is missing (see above)')
    else
      h.info('no Dossier client running (open a note in a Dossier workspace)')
    end
  end
  for _, c in ipairs(clients) do
    h.ok(('client %d attached to %d buffer(s); %s'):format(c.id, vim.tbl_count(c.attached_buffers), require('dossier').status()))
  end
end

return M
