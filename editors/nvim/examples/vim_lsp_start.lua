-- Dossier without a plugin manager or this plugin: put this in your init.lua
-- (Neovim 0.10+). It starts `dossier lsp` for Markdown and text files under a
-- folder that holds a dossier.toml.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'markdown', 'text' },
  callback = function(args)
    local root = vim.fs.root(args.buf, { 'dossier.toml' })
    if not root then
      return
    end
    vim.lsp.start({
      name = 'dossier',
      cmd = { 'dossier', 'lsp' }, -- or { '/path/to/dossier', 'lsp' }
      root_dir = root,
      -- init_options = { corpus = { '/path/to/more/articles' } },
    })
  end,
})

-- Neovim maps K (hover), grr (references), gra (code action), [d / ]d
-- (diagnostics) by itself; add `gd` for "go to source":
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == 'dossier' then
      vim.keymap.set('n', 'gd', vim.lsp.buf.definition, { buffer = args.buf })
    end
  end,
})
