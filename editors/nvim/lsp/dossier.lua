-- Default configuration of the Dossier language server for Neovim 0.11+'s
-- `vim.lsp.config` / `vim.lsp.enable` (this file is found on 'runtimepath').
--
--   vim.lsp.enable('dossier')                       -- that is all you need
--   vim.lsp.config('dossier', { init_options = { corpus = { '~/news' } } })
--
-- `require('dossier').setup{}` builds on this and adds a few conveniences.
return require('dossier').default_config()
