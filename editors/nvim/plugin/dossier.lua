-- User commands for Dossier. The language server itself is enabled by
-- `require('dossier').setup{}` or `vim.lsp.enable('dossier')`.
if vim.g.loaded_dossier then
  return
end
vim.g.loaded_dossier = true

vim.api.nvim_create_user_command('DossierRestart', function()
  require('dossier').restart()
end, { desc = 'Restart the Dossier language server' })

vim.api.nvim_create_user_command('DossierSource', function()
  vim.lsp.buf.definition()
end, { desc = 'Open the source passage of the item under the cursor' })

vim.api.nvim_create_user_command('DossierLog', function()
  vim.cmd.tabnew(vim.lsp.get_log_path())
end, { desc = "Open Neovim's LSP log (the server's stderr is logged there)" })

vim.api.nvim_create_user_command('DossierStatus', function()
  local s = require('dossier').status()
  vim.notify(s ~= '' and s or 'Dossier: not running')
end, { desc = 'Show indexing progress and corpus size' })

-- Say once, clearly, when a note in a Dossier workspace cannot be checked
-- because the server binary is missing.
vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('dossier.missing-server', { clear = true }),
  callback = function(args)
    require('dossier').warn_if_missing(args.buf)
  end,
})
