-- End-to-end test of editors/nvim in a real, headless Neovim.
-- Run by editors/test/nvim_e2e.sh, which sets up XDG dirs, a copy of the
-- example workspace, and the user's init.lua for the mode under test:
--   DOSSIER_TEST_MODE = setup  | enable | start | corpus | cargo | missing
--   DOSSIER_TEST_CORPUS = absolute path of the corpus folder
-- Prints TAP-like lines and "N passed, N failed"; exits non-zero on failure.
local mode = os.getenv('DOSSIER_TEST_MODE') or 'setup'
local corpus_dir = assert(os.getenv('DOSSIER_TEST_CORPUS'), 'DOSSIER_TEST_CORPUS unset')
local shots = os.getenv('DOSSIER_TEST_ARTIFACTS')
local T0 = vim.uv.hrtime()
local passed, failed, n = 0, 0, 0

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end
local function ms()
  return math.floor((vim.uv.hrtime() - T0) / 1e6)
end

local function check(desc, ok, detail)
  n = n + 1
  if ok then
    passed = passed + 1
    out(('ok %d - [nvim:%s] %s (%d ms)'):format(n, mode, desc, ms()))
  else
    failed = failed + 1
    out(('not ok %d - [nvim:%s] %s (%d ms)'):format(n, mode, desc, ms()))
    if detail then
      for _, l in ipairs(vim.split(tostring(detail), '\n')) do
        out('  # ' .. l)
      end
    end
  end
  return ok
end

local function finish()
  out(('%d passed, %d failed'):format(passed, failed))
  if failed > 0 or passed == 0 then
    vim.cmd('cq!')
  else
    vim.cmd('qa!')
  end
end

-- Messages from Neovim's UI (e.g. "No information available") as comments.
-- (In the missing mode init.lua records them, from before the note opened.)
local recorded = _G.dossier_test_notifications
vim.notify = function(msg, level)
  if recorded then
    table.insert(recorded, { msg = tostring(msg), level = level })
  end
  out('  # notify: ' .. tostring(msg))
end

--- No server anywhere: one clear message, no client, and :checkhealth names the binary.
local function test_missing()
  local note = vim.api.nvim_get_current_buf()
  check('no `dossier` executable in this Neovim', vim.fn.executable('dossier') == 0, vim.fn.exepath('dossier'))
  vim.wait(1500, function()
    return #recorded > 0
  end, 50)
  -- A second note in the same workspace, then the first again: still one message.
  vim.cmd('edit ../notes/conflicts.md')
  vim.cmd('edit ../notes/agreements.md')
  vim.api.nvim_set_current_buf(note)
  vim.wait(1000)
  local about = {}
  for _, r in ipairs(recorded) do
    if r.msg:lower():find('dossier', 1, true) then
      about[#about + 1] = r
    end
  end
  local dump = vim.inspect(recorded)
  if check('exactly one message about Dossier after opening three notes (' .. #about .. ')', #about == 1, dump) then
    local m = about[1]
    check('the message is a warning or an error', m.level == vim.log.levels.WARN or m.level == vim.log.levels.ERROR, dump)
    check('the message names the missing `dossier` binary', m.msg:find('`dossier` was not found', 1, true) ~= nil, m.msg)
    check('the message says where it looked (PATH, ~/.cargo/bin)', m.msg:find('PATH', 1, true) ~= nil and m.msg:find('.cargo/bin/dossier', 1, true) ~= nil, m.msg)
    check('the message says how to install it', m.msg:find('cargo install --locked --path .', 1, true) ~= nil, m.msg)
  end
  check('no Dossier client started', #vim.lsp.get_clients({ name = 'dossier' }) == 0)

  vim.cmd('silent checkhealth dossier')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  if shots then
    vim.fn.writefile(vim.split(text, '\n'), shots .. '/nvim-checkhealth-missing.txt')
  end
  check(':checkhealth dossier reports an ERROR', text:find('ERROR', 1, true) ~= nil, text)
  check(':checkhealth dossier names the missing binary and where it looked', text:find('`dossier` was not found', 1, true) ~= nil and text:find('.cargo/bin/dossier', 1, true) ~= nil and text:find('PATH', 1, true) ~= nil, text)
  check(':checkhealth dossier says how to install it', text:find('cargo install --locked --path .', 1, true) ~= nil, text)
  check(':checkhealth dossier does not send the user to open a note', text:find('open a note', 1, true) == nil, text)
end

-- Hard stop, whatever hangs.
vim.defer_fn(function()
  check('finished within 150 s', false, 'timeout')
  finish()
end, 150000)

local ok_all, err = xpcall(function()
  if mode == 'missing' then
    return test_missing()
  end
  local note = vim.api.nvim_get_current_buf()
  local note_name = vim.api.nvim_buf_get_name(note)
  check('note opened as markdown: ' .. vim.fn.fnamemodify(note_name, ':t'), vim.bo[note].filetype == 'markdown', vim.bo[note].filetype)

  -- Find a (1-based line, 0-based byte col) of `needle` in the note.
  local function locate(buf, needle, occurrence)
    occurrence = occurrence or 1
    local seen = 0
    for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local init = 1
      while true do
        local s = l:find(needle, init, true)
        if not s then
          break
        end
        seen = seen + 1
        if seen == occurrence then
          return i, s - 1
        end
        init = s + 1
      end
    end
    error('not found in buffer: ' .. needle)
  end

  local function client()
    return vim.lsp.get_clients({ bufnr = note, name = 'dossier' })[1]
  end

  -- 1. attach
  local attached = vim.wait(30000, function()
    return client() ~= nil
  end, 50)
  if not check('dossier client attached', attached, 'no client named dossier on the note buffer') then
    return
  end
  local c = client()
  check('root_dir is the workspace', c.root_dir ~= nil, vim.inspect(c.config.root_dir))
  if mode == 'cargo' then
    local want = vim.fs.joinpath(vim.uv.os_homedir(), '.cargo', 'bin', 'dossier')
    check('the server is ~/.cargo/bin/dossier (not on PATH)', c.config.cmd[1] == want and vim.fn.executable('dossier') == 0, vim.inspect(c.config.cmd))
  end
  if mode == 'corpus' then
    check('corpus from setup{} sent as initializationOptions', vim.deep_equal(c.config.init_options.corpus, { corpus_dir }), vim.inspect(c.config.init_options))
  end

  -- 2. diagnostics: a date-conflict warning on "October"
  local oct_l, oct_c = locate(note, 'October')
  local function date_conflicts()
    local r = {}
    for _, d in ipairs(vim.diagnostic.get(note)) do
      if d.code == 'date-conflict' then
        r[#r + 1] = d
      end
    end
    return r
  end
  local got = vim.wait(60000, function()
    return #date_conflicts() > 0
  end, 50)
  local all = vim.diagnostic.get(note)
  if check('date-conflict diagnostic published', got, 'diagnostics: ' .. vim.inspect(all)) then
    local d = date_conflicts()[1]
    check('diagnostic source is dossier', d.source == 'dossier', vim.inspect(d))
    check('diagnostic is a warning', d.severity == vim.diagnostic.severity.WARN, vim.inspect(d))
    check(
      'diagnostic sits on the word October',
      d.lnum == oct_l - 1 and d.col == oct_c and d.end_lnum == oct_l - 1 and d.end_col == oct_c + #'October',
      ('expected line %d col %d-%d, got %s'):format(oct_l - 1, oct_c, oct_c + 7, vim.inspect(d))
    )
    check('diagnostic message mentions September', d.message:find('September') ~= nil, d.message)
  end

  -- dossier/status (plugin modes only: the bare vim.lsp.start snippet has no handler)
  if mode ~= 'start' then
    local st = require('dossier')
    local ready = vim.wait(30000, function()
      for _, s in pairs(st._status) do
        if s.state == 'ready' then
          return true
        end
      end
    end, 50)
    check('dossier/status reached ready: ' .. st.status(), ready and st.status():find('5 articles') ~= nil, vim.inspect(st._status))
  end

  -- helpers for floats
  local function floats()
    local r = {}
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        r[#r + 1] = w
      end
    end
    return r
  end
  local function close_floats()
    for _, w in ipairs(floats()) do
      pcall(vim.api.nvim_win_close, w, true)
    end
  end
  local function hover_text(line, col)
    close_floats()
    vim.api.nvim_set_current_buf(note)
    vim.api.nvim_win_set_cursor(0, { line, col })
    vim.api.nvim_feedkeys('K', 'x', false) -- Neovim's default hover mapping
    local shown = vim.wait(10000, function()
      return #floats() > 0
    end, 20)
    if not shown then
      return nil
    end
    local w = floats()[1]
    local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false)
    close_floats()
    return lines
  end
  local function first_nonblank(lines)
    for _, l in ipairs(lines) do
      if vim.trim(l) ~= '' then
        return l
      end
    end
  end

  -- 3. hover on a surname: "Ruto" in "Kenyan President William Ruto met"
  local r_l, r_c = locate(note, 'Ruto')
  local lines = hover_text(r_l, r_c + 1)
  if check('K on "Ruto" opens a hover window', lines ~= nil, 'no floating window within 10 s') then
    local text = table.concat(lines, '\n')
    check('hover card headed "William Ruto"', (first_nonblank(lines) or ''):match('^#*%s*William Ruto%s*$') ~= nil, text)
    check('hover card gives the kind "person"', text:find('person') ~= nil, text)
    check('hover card gives the role Kenyan President', text:find('Kenyan President') ~= nil, text)
    if shots then
      vim.fn.writefile(lines, shots .. '/nvim-hover-' .. mode .. '.txt')
    end
  end

  -- hover on AFRICOM: some card
  local a_l, a_c = locate(note, 'AFRICOM')
  lines = hover_text(a_l, a_c + 2)
  check('K on "AFRICOM" shows a card', lines ~= nil and (first_nonblank(lines) or ''):match('^###') ~= nil, lines and table.concat(lines, '\n') or 'no hover window')

  -- 4. gd on the quotation → the passage in article 001
  local q_l, q_c = locate(note, 'important security partners')
  vim.api.nvim_set_current_buf(note)
  vim.api.nvim_win_set_cursor(0, { q_l, q_c + 3 })
  vim.api.nvim_feedkeys('gd', 'x', false)
  local want = '/corpus/001_f5c6b512ca1d2a60.txt'
  local jumped = vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):sub(-#want) == want
  end, 20)
  if check('gd on the quotation opens article 001', jumped, 'current buffer: ' .. vim.api.nvim_buf_get_name(0)) then
    check('article is under the configured corpus', vim.startswith(vim.api.nvim_buf_get_name(0), corpus_dir), vim.api.nvim_buf_get_name(0))
    local cur = vim.api.nvim_win_get_cursor(0)
    local line = vim.api.nvim_get_current_line()
    local pstart = line:find('one of our most important security partners in Africa', 1, true)
    check('cursor on line 19 of the article', cur[1] == 19, 'cursor ' .. vim.inspect(cur) .. ' line: ' .. line)
    check('cursor at the start of the passage', pstart ~= nil and cur[2] == pstart - 1, ('col %d, passage at byte %s in: %s'):format(cur[2], tostring(pstart and pstart - 1), line))
  end

  -- gd on a citation [@004] → article 004
  local ci_l, ci_c = locate(note, '[@004]')
  vim.api.nvim_set_current_buf(note)
  vim.api.nvim_win_set_cursor(0, { ci_l, ci_c + 2 })
  vim.api.nvim_feedkeys('gd', 'x', false)
  local want4 = '/corpus/004_ceb739453495012b.txt'
  check('gd on [@004] opens article 004', vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):sub(-#want4) == want4
  end, 20), 'current buffer: ' .. vim.api.nvim_buf_get_name(0))
  vim.api.nvim_set_current_buf(note)

  -- 5. references (grr, Neovim's default mapping → quickfix list)
  if c.server_capabilities.referencesProvider then
    vim.fn.setqflist({}, 'f')
    vim.api.nvim_win_set_cursor(0, { r_l, r_c + 1 })
    vim.api.nvim_feedkeys('grr', 'x', false)
    local refs = vim.wait(10000, function()
      return #vim.fn.getqflist() >= 2
    end, 20)
    local items = vim.fn.getqflist()
    check('grr on "Ruto" lists its mentions (' .. #items .. ')', refs, vim.inspect(items))
    vim.cmd('cclose')
    vim.api.nvim_set_current_buf(note)
  else
    out('ok - [nvim:' .. mode .. '] # SKIP references: server does not advertise referencesProvider')
  end

  -- 6. quick fix through gra (Neovim's code-action mapping + vim.ui.select)
  local offered = {}
  local orig_select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    for i, it in ipairs(items) do
      local a = it.action or it
      offered[#offered + 1] = a.title
      if a.title:find('September', 1, true) then
        return on_choice(it, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_set_current_buf(note)
  vim.api.nvim_win_set_cursor(0, { oct_l, oct_c + 2 })
  local before = vim.api.nvim_buf_get_lines(note, oct_l - 1, oct_l, false)[1]
  vim.api.nvim_feedkeys('gra', 'x', false)
  local expected = before:sub(1, oct_c) .. 'September' .. before:sub(oct_c + 8)
  local changed = vim.wait(10000, function()
    return vim.api.nvim_buf_get_lines(note, oct_l - 1, oct_l, false)[1] == expected
  end, 20)
  vim.ui.select = orig_select
  check(
    'quick fix offered and applied: October → September',
    changed,
    'offered: ' .. vim.inspect(offered) .. '\nline now: ' .. vim.api.nvim_buf_get_lines(note, oct_l - 1, oct_l, false)[1]
  )
  local title_ok = false
  for _, t in ipairs(offered) do
    title_ok = title_ok or (t:find('September', 1, true) and t:find('Al-Shabaab', 1, true)) ~= nil
  end
  check('quick fix title names the source article', title_ok, vim.inspect(offered))
  if changed then
    check('date-conflict cleared after the fix', vim.wait(10000, function()
      return #date_conflicts() == 0
    end, 50), vim.inspect(vim.diagnostic.get(note)))
  end

  -- 7. :DossierRestart brings up a new client that checks the note again (plugin modes)
  if mode ~= 'start' then
    local old_id = c.id
    vim.api.nvim_set_current_buf(note)
    vim.cmd('DossierRestart')
    local back = vim.wait(20000, function()
      local nc = client()
      return nc ~= nil and nc.id ~= old_id and nc.initialized
    end, 50)
    check(':DossierRestart starts a new client', back, vim.inspect(vim.tbl_map(function(x)
      return x.id
    end, vim.lsp.get_clients({ name = 'dossier' }))))
  end

  -- 8. :checkhealth dossier (plugin modes)
  if mode ~= 'start' then
    vim.cmd('silent checkhealth dossier')
    local hl = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    local text = table.concat(hl, '\n')
    check(':checkhealth dossier reports no error', text:find('dossier') ~= nil and text:find('ERROR') == nil, text)
  end
end, debug.traceback)

if not ok_all then
  check('test script ran without a Lua error', false, err)
end
finish()
