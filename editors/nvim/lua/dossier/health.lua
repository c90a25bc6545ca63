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

  local cfg = vim.lsp.config.dossier
  local cmd = cfg and cfg.cmd or { 'dossier', 'lsp' }
  if type(cmd) == 'table' then
    local exe = vim.fn.exepath(cmd[1])
    if exe ~= '' then
      local out = vim.system({ exe, '--version' }, { text = true }):wait(5000)
      h.ok(('server: %s (%s)'):format(exe, vim.trim(out.stdout or '')))
    else
      h.error(('server `%s` not found'):format(cmd[1]), {
        'Build it: cargo build --release (in the Dossier repository), and put target/release on PATH',
        "or: require('dossier').setup{ cmd = '/path/to/dossier' }",
      })
    end
  else
    h.info('cmd is a function; not checked')
  end

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
    h.info('no Dossier client running (open a note in a Dossier workspace)')
  end
  for _, c in ipairs(clients) do
    h.ok(('client %d attached to %d buffer(s); %s'):format(c.id, vim.tbl_count(c.attached_buffers), require('dossier').status()))
  end
end

return M
