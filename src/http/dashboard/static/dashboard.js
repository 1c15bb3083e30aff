// The dashboard's script: served as a file so the page's Content-Security-Policy allows no inline script.
(() => {
  'use strict';

  /** A value that is neither null nor undefined. */
  function isSet(value) {
    return value !== null && value !== undefined;
  }
  // The token (HTTP_TOKEN) comes as #token=… (a fragment never reaches a server or a log) and is
  // kept for this tab only; it is sent as a header, never put in a URL. An EventSource cannot
  // send headers, so the stream rides on an HttpOnly cookie the server sets from the header.
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token') || sessionStorage.getItem('asterwatch-token') || '';
  if (token) sessionStorage.setItem('asterwatch-token', token);
  if (location.hash.includes('token=')) history.replaceState(null, '', location.pathname + location.search);
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const session = token ? fetch('/api/session', { method: 'POST', headers }).catch(() => undefined) : Promise.resolve();

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) if (isSet(child)) node.append(child);
    return node;
  };
  const fmt = (n) => {
    if (!isSet(n) || !Number.isFinite(n)) return '–';
    const abs = Math.abs(n);
    const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 8;
    return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: abs >= 1000 ? 2 : 0 });
  };
  const ago = (iso) => {
    if (!iso) return 'never';
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) return 'in ' + human(-s);
    return human(s) + ' ago';
  };
  const human = (s) => (s < 90 ? s + ' s' : s < 5400 ? Math.round(s / 60) + ' min' : s < 172800 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d');

  function sparkline(points, level) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 140 34');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    if (points.length === 0) {
      svg.setAttribute('aria-label', 'no values yet');
      return svg;
    }
    const values = points.map((p) => p[1]);
    let min = Math.min(...values),
      max = Math.max(...values);
    if (isSet(level)) {
      min = Math.min(min, level);
      max = Math.max(max, level);
    }
    if (max === min) {
      max += 1;
      min -= 1;
    }
    const x = (i) => (points.length === 1 ? 70 : (i / (points.length - 1)) * 138 + 1);
    const y = (v) => 32 - ((v - min) / (max - min)) * 30;
    if (isSet(level)) {
      const line = document.createElementNS(ns, 'line');
      Object.entries({
        x1: 0,
        x2: 140,
        y1: y(level),
        y2: y(level),
        stroke: '#e5534b',
        'stroke-dasharray': '3 3',
        'stroke-width': 1,
        'data-testid': 'threshold',
      }).forEach(([k, v]) => line.setAttribute(k, v));
      svg.append(line);
    }
    if (points.length === 1) {
      const dot = document.createElementNS(ns, 'circle');
      Object.entries({ cx: 70, cy: y(points[0][1]), r: 2.5, fill: '#7aa2f7' }).forEach(([k, v]) => dot.setAttribute(k, v));
      svg.append(dot);
      svg.setAttribute('aria-label', '1 value: ' + fmt(points[0][1]));
      return svg;
    }
    const path = document.createElementNS(ns, 'polyline');
    path.setAttribute('points', points.map((p, i) => x(i).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' '));
    Object.entries({ fill: 'none', stroke: '#7aa2f7', 'stroke-width': 1.6, 'stroke-linejoin': 'round' }).forEach(([k, v]) => path.setAttribute(k, v));
    svg.append(path);
    svg.setAttribute('aria-label', values.length + ' recent values, last ' + fmt(values[values.length - 1]));
    return svg;
  }

  function monitorCard(m) {
    const last = m.last_run;
    const status = last
      ? el('span', { class: 'badge ' + (last.result === 'ok' ? 'ok' : 'err') }, el('span', { class: 'dot' }), last.result === 'ok' ? 'ok' : 'error')
      : el('span', { class: 'badge' }, 'not run yet');
    const cadence = m.schedule ? 'cron ' + m.schedule : isSet(m.interval_seconds) ? 'every ' + human(m.interval_seconds) : 'live, as events arrive';
    const head = el(
      'div',
      { class: 'card-head' },
      el('span', { class: 'name', text: m.name }),
      el('span', { class: 'badge', text: m.mode }),
      status,
      el('span', { class: 'meta', text: cadence + ' · last ' + ago(last && last.checked_at) + (m.next_run ? ' · next ' + ago(m.next_run) : '') }),
      silenceControls(m.name),
    );
    const rows = m.subjects.map((s) => {
      const change = isSet(s.value) && s.previous ? ((s.value - s.previous) * 100) / s.previous : null;
      return el(
        'tr',
        { 'data-testid': 'subject', 'data-subject': s.subject },
        el(
          'td',
          {},
          el('strong', { text: s.subject }),
          s.detail ? el('div', { class: 'subject-detail', 'data-testid': 'subject-detail', text: s.detail }) : null,
        ),
        el('td', { class: 'num' }, fmt(s.value)),
        el(
          'td',
          { class: 'num hide-narrow ' + (change > 0 ? 'up' : change < 0 ? 'down' : '') },
          !isSet(change) ? '–' : (change > 0 ? '+' : '') + change.toFixed(2) + '%',
        ),
        el('td', { title: s.description }, el('code', { text: s.condition })),
        el('td', { class: 'armed hide-narrow', text: s.armed ? 'armed' : 'fired' }),
        el('td', {}, sparkline(s.history, s.level)),
      );
    });
    const table = el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { text: m.mode === 'portfolio' ? '' : m.mode === 'positions' ? 'position' : 'asset' }),
          el('th', { text: m.value_heading || (m.mode === 'portfolio' ? 'USD' : 'price') }),
          el('th', { class: 'hide-narrow', text: 'change' }),
          el('th', { text: 'condition' }),
          el('th', { class: 'hide-narrow', text: 'state' }),
          el('th', { text: 'recent' }),
        ),
      ),
      el('tbody', {}, ...rows),
    );
    return el(
      'article',
      { class: 'card', 'data-testid': 'monitor', 'data-monitor': m.name },
      head,
      last && last.error ? el('div', { class: 'error-text', text: last.error }) : null,
      el('div', { class: 'scroll' }, table),
    );
  }

  // Silences: a monitor muted for 1 h / 4 h / 24 h (its events are recorded, not delivered).
  let silences = [];
  async function refreshSilences() {
    try {
      silences = (await getJson('/api/silences')).silences;
    } catch {
      silences = [];
    }
  }
  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok && response.status !== 204) {
      const answer = await response.json().catch(() => ({}));
      throw new Error(answer.message || 'HTTP ' + response.status);
    }
  }
  function silenceControls(monitor) {
    const active = silences.filter((s) => s.monitor === monitor && s.subject === null);
    const box = el('span', { class: 'silence', 'data-testid': 'silence' });
    if (active.length > 0) {
      const until = active.reduce((a, b) => (a.ends_at > b.ends_at ? a : b));
      const unmute = el('button', { type: 'button', 'data-testid': 'unsilence', text: 'unmute' });
      unmute.addEventListener('click', () =>
        Promise.all(active.map((s) => send('DELETE', '/api/silences/' + encodeURIComponent(s.id))))
          .then(refreshMonitors)
          .catch((e) => alert(e.message)),
      );
      box.append(
        el('span', {
          class: 'badge muted',
          'data-testid': 'silenced',
          title: until.comment || '',
          text: 'silenced until ' + new Date(until.ends_at).toLocaleString(),
        }),
        unmute,
      );
      return box;
    }
    box.append(el('span', { class: 'meta', text: 'silence' }));
    for (const duration of ['1h', '4h', '24h']) {
      const button = el('button', { type: 'button', 'data-testid': 'silence-' + duration, text: duration.replace('h', ' h') });
      button.addEventListener('click', () =>
        send('POST', '/api/silences', { monitor, duration, created_by: 'dashboard', comment: 'from the dashboard' })
          .then(refreshMonitors)
          .catch((e) => alert(e.message)),
      );
      box.append(button);
    }
    return box;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers });
    if (response.status === 401) throw new Error('unauthorized: open the dashboard with #token=<HTTP_TOKEN>');
    return response.json();
  }

  // Monitors come a page at a time (a service may run 10,000 of them).
  const PAGE = 100;
  let monitorsOffset = 0;
  function renderPager(total, limit) {
    const pager = $('monitors-pager');
    if (!isSet(total) || total <= limit) {
      pager.replaceChildren();
      return;
    }
    const last = Math.min(total, monitorsOffset + limit);
    const step = (delta) => () => {
      monitorsOffset = Math.max(0, Math.min(monitorsOffset + delta, Math.floor((total - 1) / limit) * limit));
      refreshMonitors();
    };
    const previous = el('button', { type: 'button', 'data-testid': 'monitors-previous', text: '‹ previous' });
    const next = el('button', { type: 'button', 'data-testid': 'monitors-next', text: 'next ›' });
    if (monitorsOffset === 0) previous.disabled = true;
    if (last >= total) next.disabled = true;
    previous.addEventListener('click', step(-limit));
    next.addEventListener('click', step(limit));
    pager.replaceChildren(previous, el('span', { class: 'meta', text: monitorsOffset + 1 + '–' + last + ' of ' + total }), next);
  }

  async function refreshMonitors() {
    try {
      await refreshSilences();
      const { monitors, config, total, limit } = await getJson('/api/monitors?limit=' + PAGE + '&offset=' + monitorsOffset);
      renderPager(total, limit);
      if (config) {
        const loaded = $('config-loaded');
        loaded.textContent = config.file + ' loaded ' + new Date(config.loaded_at).toLocaleString();
        loaded.title = config.reloads.success + ' reload(s), ' + config.reloads.failure + ' refused';
      }
      const box = $('monitors');
      box.replaceChildren(...(monitors.length ? monitors.map(monitorCard) : [el('div', { class: 'empty', text: 'No monitors configured.' })]));
    } catch (error) {
      $('monitors').replaceChildren(el('div', { class: 'empty', text: String(error.message || error) }));
    }
  }

  // Sinks: a test button each, which sends an asterwatch.test event now and shows the answer.
  async function loadSinks() {
    const box = $('sinks');
    try {
      const { sinks } = await getJson('/api/sinks');
      box.replaceChildren(
        ...sinks.map((s) => {
          const result = el('span', { class: 'meta', 'data-testid': 'sink-result' });
          const button = el('button', { type: 'button', 'data-testid': 'sink-test', text: 'Test' });
          button.addEventListener('click', async () => {
            button.disabled = true;
            result.textContent = 'sending…';
            try {
              const response = await fetch('/api/sinks/' + encodeURIComponent(s.name) + '/test', { method: 'POST', headers });
              const answer = await response.json();
              result.className = 'meta ' + (answer.delivered ? 'up' : 'down');
              result.textContent = answer.delivered
                ? 'delivered in ' + answer.ms + ' ms'
                : 'not delivered: ' + (answer.error || answer.message || 'HTTP ' + response.status);
            } catch (error) {
              result.className = 'meta down';
              result.textContent = String(error.message || error);
            } finally {
              button.disabled = false;
            }
          });
          return el(
            'div',
            { class: 'sink', 'data-testid': 'sink', 'data-sink': s.name },
            el('strong', { text: s.name }),
            el('span', { class: 'badge', text: s.type }),
            button,
            result,
          );
        }),
      );
    } catch (error) {
      box.replaceChildren(el('div', { class: 'empty', text: String(error.message || error) }));
    }
  }

  // A storm of events refreshes the monitors once a second at most, not once per event.
  let refreshTimer = null;
  function refreshSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refreshMonitors();
    }, 1000);
  }

  async function refreshReady() {
    const badge = $('ready');
    try {
      const response = await fetch('/readyz', { headers });
      const body = await response.json();
      badge.className = 'badge ' + (response.ok ? 'ok' : 'err');
      badge.lastChild.textContent = response.ok ? 'ready' : 'not ready: ' + body.failed.join(', ');
      // Other panels read what they need from the same answer (the liquidation feed's venues).
      document.dispatchEvent(new CustomEvent('asterwatch:ready', { detail: body }));
    } catch {
      badge.className = 'badge err';
      badge.lastChild.textContent = 'unreachable';
    }
  }

  const percent = (p) => (!isSet(p) ? '' : (p > 0 ? '+' : '') + p.toFixed(2) + '%');
  const usd = (n) => '$' + fmt(n);
  /** The value an event is about and its change, by event type. */
  function summaryOf(e) {
    const d = e.data;
    // A resolved notice carries its alert's fields, measured now.
    switch (e.type.replace(/\.condition_resolved$/, '.condition_met')) {
      case 'asterex.market.condition_met':
        return { value: fmt(d.current_price) + ' USDT', change: percent(d.price_change) };
      case 'asterex.portfolio.condition_met':
        return { value: d.current_value, change: d.change_percent || '' };
      case 'asterex.liquidation.condition_met':
        return { value: d.side + ' ' + d.asset + ' ' + usd(d.notional_usd) + ' @ ' + fmt(d.price) + ' (' + d.venue + ')', change: '' };
      case 'asterex.liquidation_window.condition_met':
        return { value: usd(d.notional_usd) + ' liquidated in ' + human(d.window_seconds), change: percent(d.change_percent) };
      default:
        return { value: e.type, change: '' };
    }
  }

  const seen = new Set();
  function eventItem(e, fresh) {
    const d = e.data;
    const sev = d.severity_label;
    const { value, change } = summaryOf(e);
    const kind = e.type === 'asterwatch.test' ? 'test' : /\.condition_resolved$/.test(e.type) ? 'resolved' : d.reminder === true ? 'reminder' : null;
    const tags = [
      kind
        ? el('span', {
            class: 'tag ' + kind,
            'data-testid': 'event-' + kind,
            text: kind === 'resolved' ? 'resolved after ' + human(d.duration_seconds || 0) : kind,
          })
        : null,
      d.silenced === true ? el('span', { class: 'tag muted', 'data-testid': 'event-silenced', text: 'silenced: not delivered' }) : null,
    ];
    return el(
      'div',
      { class: 'event ' + sev + (fresh ? ' fresh' : ''), 'data-testid': 'event', 'data-event-id': e.id },
      el(
        'div',
        { class: 'line1' },
        el('span', { class: 'sev ' + sev, text: sev }),
        el('span', { class: 'what', text: d.monitor + ' · ' + e.subject }),
        ...tags,
        el('span', { class: 'when', title: e.time, text: new Date(e.time).toLocaleTimeString() }),
      ),
      el('div', {}, value + (change ? '  ' : ''), change ? el('span', { class: change.startsWith('-') ? 'down' : 'up', text: change }) : null),
      el('div', { class: 'meta' }, 'condition ', el('code', { text: d.condition })),
    );
  }
  function addEvent(e, fresh) {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    $('feed-empty')?.remove();
    const feed = $('feed');
    if (fresh) feed.prepend(eventItem(e, true));
    else feed.append(eventItem(e, false));
    while (feed.children.length > 200) feed.lastChild.remove();
  }

  async function loadEvents() {
    try {
      const { events } = await getJson('/api/events?limit=50');
      events.forEach((e) => addEvent(e, false));
    } catch {
      /* shown by the monitors panel */
    }
  }

  async function connect() {
    const live = $('live');
    await session;
    const source = new EventSource('/api/events/stream');
    source.onopen = () => {
      live.className = 'badge ok';
      live.lastChild.textContent = 'live';
    };
    source.onerror = () => {
      live.className = 'badge err';
      live.lastChild.textContent = 'reconnecting';
    };
    source.addEventListener('condition_met', (message) => {
      addEvent(JSON.parse(message.data), true);
      refreshSoon();
    });
  }

  // Shared with the panels in their own files (liquidations.js), which load after this one.
  window.asterwatch = { $, el, fmt, ago, human, headers, session, getJson, isSet };

  refreshMonitors();
  loadSinks();
  refreshReady();
  loadEvents().then(connect);
  setInterval(refreshMonitors, 5000);
  setInterval(refreshReady, 10000);
})();
