// The operator's console (DESIGN §13): plain DOM, no framework, no build step. Every value from
// the daemon is set as text, never as HTML. The session cookie is HttpOnly; the CSRF token the
// state carries goes back in X-CSRF-Token on every change.

const base = document.body.dataset.base ?? '';
const LOG_LINES_KEPT = 500;
const STATE_EVERY_MS = 5000;
const page = { csrf: '', log: undefined, timer: undefined };

/** An element with attributes and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A call to a console route; a JSON answer, or the Response when `raw`. */
async function call(route, body, raw = false) {
  const res = await fetch(`${base}/console/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      'x-csrf-token': page.csrf,
      ...(raw ? { accept: 'application/x-ndjson' } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (raw) return res;
  if (res.status === 401) {
    showLogin();
    throw new Error('not logged in');
  }
  return res.status === 204 ? {} : res.json();
}

function showLogin(message = '') {
  clearInterval(page.timer);
  page.log?.close();
  const credential = el('input', {
    id: 'credential',
    type: 'password',
    autocomplete: 'current-password',
    required: '',
  });
  const form = el(
    'form',
    { id: 'login' },
    el('h1', {}, 'Switchboard console'),
    el('label', { for: 'credential' }, 'Password or API key'),
    credential,
    el('button', { type: 'submit' }, 'Log in'),
    el('p', { id: 'login-error', class: 'err', role: 'alert' }, message),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const res = await fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: credential.value }),
    });
    const answer = await res.json();
    if (res.ok) showConsole();
    else showLogin(answer.error);
  });
  document.body.replaceChildren(el('main', { class: 'login' }, form));
  credential.focus();
}

function section(id, title, ...children) {
  return el('section', { id }, el('h2', {}, title), ...children);
}

function showConsole() {
  const output = el('pre', { id: 'output', 'aria-live': 'polite' });
  const command = el('input', { id: 'command', autocomplete: 'off', placeholder: '.s uptime' });
  const commandForm = el(
    'form',
    { id: 'command-form' },
    command,
    el('button', { type: 'submit' }, 'Run'),
  );
  commandForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void runCommand(command.value, output);
  });
  const level = el('select', { id: 'log-level', 'aria-label': 'log level' });
  for (const name of ['debug', 'info', 'warn', 'error']) {
    level.append(el('option', name === 'info' ? { selected: '' } : {}, name));
  }
  level.addEventListener('change', () => openLog(level.value));
  const logout = el('button', { id: 'logout', type: 'button' }, 'Log out');
  logout.addEventListener('click', async () => {
    await call('logout', {});
    showLogin();
  });
  document.body.replaceChildren(
    el('header', {}, el('h1', {}, 'Switchboard'), logout),
    el(
      'main',
      {},
      section('status', 'Status', el('div', { id: 'status-body' })),
      section('switches', 'Switches', el('div', { id: 'switches-body' })),
      section('run', 'Run a command', commandForm, output),
      section('bans', 'Bans', el('div', { id: 'bans-body' })),
      section('recent', 'Recent commands', el('div', { id: 'recent-body' })),
      section('charts', 'Charts', chartWindow(), el('div', { id: 'charts-body' })),
      section('log', 'Live log', level, el('ol', { id: 'log-lines' })),
    ),
  );
  void refresh();
  page.timer = setInterval(() => void refresh(), STATE_EVERY_MS);
  openLog('info');
}

async function refresh() {
  const state = await call('state');
  page.csrf = state.csrf;
  renderStatus(state.status);
  renderSwitches(state.status);
  renderBans(state.bans, state.moreBans);
  renderRecent(state.recent);
  renderCharts(state.charts);
}

function chartWindow() {
  const select = el('select', { id: 'chart-window', 'aria-label': 'chart window' });
  for (const name of ['1h', '6h', '24h']) select.append(el('option', {}, name));
  select.addEventListener('change', () => void refresh());
  return select;
}

/** The monitor's SVG charts of the chosen window; the panel is hidden when the monitor is off. */
function renderCharts(metrics) {
  document.getElementById('charts').hidden = metrics.length === 0;
  const span = document.getElementById('chart-window').value;
  const stamp = Date.now(); // a new URL: the browser fetches the chart again
  document.getElementById('charts-body').replaceChildren(
    ...metrics.map((metric) =>
      el('img', {
        class: 'chart',
        alt: `${metric}, last ${span}`,
        src: `${base}/console/chart.svg?metric=${metric}&window=${span}&at=${stamp}`,
      }),
    ),
  );
}

function table(id, head, rows) {
  return el(
    'table',
    { id },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
  );
}

function uptime(sec) {
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${d > 0 ? `${d}d ` : ''}${h}h ${m}m`;
}

function renderStatus(status) {
  const facts = [
    ['version', status.version],
    ['uptime', uptime(status.uptimeSec)],
    ['outbox', `${status.outbox.queued} queued, ${status.outbox.failed} failed`],
    ['lockdown', status.lockdown ? 'ON' : 'off'],
    ['maintenance', status.maintenance ? 'ON' : 'off'],
  ];
  document.getElementById('status-body').replaceChildren(
    el(
      'dl',
      {},
      ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { id: `status-${k}` }, v)]),
    ),
    table(
      'channels',
      ['channel', 'address', 'state', 'ok', 'failed'],
      status.channels.map((c) => [
        c.name,
        c.address ?? '',
        c.address === undefined ? 'stopped' : 'running',
        String(c.ok),
        String(c.failed),
      ]),
    ),
  );
}

/** A switch with a confirm step: the first click asks, the second acts. */
function confirmed(id, label, question, act) {
  const button = el('button', { id, type: 'button' }, label);
  button.addEventListener('click', () => {
    const yes = el('button', { id: 'confirm-yes', type: 'button', class: 'danger' }, 'Yes');
    const no = el('button', { id: 'confirm-no', type: 'button' }, 'Cancel');
    const ask = el('p', { id: 'confirm', role: 'alertdialog' }, question, ' ', yes, ' ', no);
    no.addEventListener('click', () => ask.remove());
    yes.addEventListener('click', async () => {
      ask.remove();
      await act();
      await refresh();
    });
    document.getElementById('confirm')?.remove();
    button.after(ask);
  });
  return button;
}

function renderSwitches(status) {
  const on = !status.maintenance;
  const body = document.getElementById('switches-body');
  if (body.querySelector('#confirm') !== null) return; // do not close a question being asked
  body.replaceChildren(
    confirmed(
      'maintenance-toggle',
      on ? 'Maintenance on' : 'Maintenance off',
      on ? 'Refuse all visitors outside maintenance.allow?' : 'Let visitors in again?',
      () => call('maintenance', { on }),
    ),
    ' ',
    status.lockdown
      ? el('span', { class: 'err' }, 'Locked down until restart')
      : confirmed('lockdown', 'Lock down', 'Refuse every command until the daemon restarts?', () =>
          call('lockdown', {}),
        ),
  );
}

function renderBans(bans, more) {
  const rows = bans.map((b) => {
    const unban = el(
      'button',
      { type: 'button', class: 'unban', 'data-source': b.source },
      'Unban',
    );
    unban.addEventListener('click', async () => {
      await call('unban', { source: b.source });
      await refresh();
    });
    return [b.source, b.channel, b.expiresAt.replace('T', ' ').slice(0, 19), unban];
  });
  document
    .getElementById('bans-body')
    .replaceChildren(
      bans.length === 0
        ? el('p', {}, 'No bans.')
        : table('ban-list', ['source', 'channel', 'until', ''], rows),
      more > 0 ? el('p', {}, `and ${more} more`) : '',
    );
}

function renderRecent(recent) {
  document.getElementById('recent-body').replaceChildren(
    table(
      'recent-list',
      ['time', 'channel', 'source', 'app', 'command', 'ok', 'ms'],
      recent.map((c) => [
        c.time.slice(11, 19),
        c.channel,
        c.source,
        c.app ?? '',
        c.command,
        c.ok ? 'ok' : (c.error ?? 'failed'),
        String(c.ms),
      ]),
    ),
  );
}

/** Runs `text` and shows its output as it streams in, then how it ended. */
async function runCommand(text, output) {
  output.textContent = '';
  output.className = 'running';
  const res = await call('command', { command: text }, true);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines.filter((l) => l !== '')) {
      const message = JSON.parse(line);
      if (typeof message.output === 'string') output.textContent += message.output;
      if ('ok' in message) {
        output.className = message.ok ? 'ok' : 'failed';
        if (message.error !== null) output.textContent += `\n${message.error}`;
      }
    }
  }
  await refresh();
}

function openLog(level) {
  page.log?.close();
  const lines = document.getElementById('log-lines');
  lines.replaceChildren();
  page.log = new EventSource(`${base}/api/log?level=${encodeURIComponent(level)}`);
  page.log.addEventListener('message', (event) => {
    const entry = JSON.parse(event.data);
    const { time, level: n, msg, ...fields } = entry;
    const name = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }[n];
    const when = new Date(time).toISOString().slice(11, 19);
    lines.prepend(
      el(
        'li',
        { class: name ?? 'info' },
        `${when} ${name ?? n} ${msg ?? ''} `,
        el('span', { class: 'fields' }, JSON.stringify(fields)),
      ),
    );
    while (lines.childElementCount > LOG_LINES_KEPT) lines.lastElementChild.remove();
  });
}

fetch(`${base}/console/state`).then((res) => (res.ok ? showConsole() : showLogin()));
