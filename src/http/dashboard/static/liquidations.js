// The liquidations panel: totals, a 24 h chart with the feed's gaps, the largest, the leading
// symbols, a live feed above an adjustable amount, and each venue's connection. Shown only when
// the service records liquidations (its readiness lists the feed's venues).
(() => {
  'use strict';

  const { $, el, fmt, human, session, getJson, isSet } = window.asterwatch;
  const HOUR = 3600 * 1000;
  const BUCKET = 15 * 60 * 1000;
  const MAX_LIVE = 100;
  const SVG = 'http://www.w3.org/2000/svg';

  /** $1.2M, $314.9k, $50k, $950: amounts at a glance, as the Telegram messages write them. */
  const usd = (n) => {
    if (!isSet(n) || !Number.isFinite(n)) return '–';
    const abs = Math.abs(n);
    const one = (x) => x.toFixed(1).replace(/\.0$/, '');
    if (abs >= 1e9) return '$' + one(n / 1e9) + 'B';
    if (abs >= 1e6) return '$' + one(n / 1e6) + 'M';
    if (abs >= 1e3) return '$' + one(n / 1e3) + 'k';
    return '$' + n.toFixed(0);
  };
  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const svg = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  const sideBadge = (side) => el('span', { class: 'side ' + side, text: side });

  let shown = false;
  let venues = [];

  function show() {
    if (shown) return;
    shown = true;
    $('liquidations').hidden = false;
    const min = $('liq-min');
    min.value = localStorage.getItem('asterwatch-liq-min') || '10000';
    let timer;
    min.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        localStorage.setItem('asterwatch-liq-min', min.value);
        startLive();
      }, 400);
    });
    refresh();
    startLive();
    setInterval(refresh, 15000);
  }

  // Venue connections, from the readiness answer the dashboard already polls.
  document.addEventListener('asterwatch:ready', (message) => {
    const feeds = message.detail && message.detail.checks && message.detail.checks.feeds;
    if (!feeds) return;
    venues = feeds.feeds;
    show();
    $('liq-venues').replaceChildren(
      ...venues.map((v) => {
        const since = human(Math.max(0, Math.round((Date.now() - Date.parse(v.since)) / 1000)));
        const title =
          (v.connected ? 'connected for ' : 'disconnected for ') +
          since +
          ' · ' +
          v.reconnects +
          ' reconnects · last message ' +
          (v.last_message_at ? clock(v.last_message_at) : 'none yet');
        return el(
          'span',
          { class: 'badge ' + (v.connected ? 'ok' : 'err'), 'data-testid': 'liq-venue', 'data-venue': v.feed, 'data-connected': String(v.connected), title },
          el('span', { class: 'dot' }),
          v.feed + (v.connected ? ' live' : ' down ' + since),
        );
      }),
    );
  });

  function minimum() {
    const value = Number($('liq-min').value);
    return Number.isFinite(value) && value >= 0 ? value : 0;
  }

  async function refresh() {
    const now = Date.now();
    try {
      const [h1, h4, h24, series, largest, leaders] = await Promise.all([
        getJson('/api/liquidations/total?since=' + (now - HOUR) + '&until=' + now),
        getJson('/api/liquidations/total?since=' + (now - 4 * HOUR) + '&until=' + now),
        getJson('/api/liquidations/total?since=' + (now - 24 * HOUR) + '&until=' + now),
        getJson('/api/liquidations/series?interval=15m&since=' + (now - 24 * HOUR) + '&until=' + now),
        getJson('/api/liquidations/largest?limit=8&since=' + (now - 24 * HOUR) + '&until=' + now),
        getJson('/api/liquidations/leaders?limit=8&since=' + (now - 24 * HOUR) + '&until=' + now),
      ]);
      $('liq-totals').replaceChildren(total('1 h', h1), total('4 h', h4), total('24 h', h24));
      $('liq-chart').replaceChildren(chart(series));
      $('liq-largest').replaceChildren(
        ...(largest.liquidations.length ? largest.liquidations.map(largestItem) : [el('li', { class: 'empty', text: 'None in the last 24 h.' })]),
      );
      $('liq-leaders').replaceChildren(...leaders.symbols.map(leaderRow));
      $('liq-error').textContent = '';
    } catch (error) {
      $('liq-error').textContent = String(error.message || error);
    }
  }

  function total(label, t) {
    const share = t.total_usd > 0 ? (t.long_usd / t.total_usd) * 100 : 50;
    // A CSP without inline styles: the split is drawn as an SVG, sized by attributes.
    const line = svg('svg', { class: 'split', viewBox: '0 0 100 6', preserveAspectRatio: 'none', role: 'img', 'aria-label': share.toFixed(0) + '% longs' });
    line.append(
      svg('rect', { class: 'long', x: 0, y: 0, width: share, height: 6 }),
      svg('rect', { class: 'short', x: share, y: 0, width: 100 - share, height: 6 }),
    );
    return el(
      'div',
      { class: 'tile', 'data-testid': 'liq-total', 'data-window': label },
      el('div', { class: 'meta', text: 'last ' + label + (t.complete ? '' : ' · gap') }),
      el('div', { class: 'amount', text: usd(t.total_usd) }),
      el(
        'div',
        { class: 'meta' },
        el('span', { class: 'long', text: 'longs ' + usd(t.long_usd) }),
        ' · ',
        el('span', { class: 'short', text: 'shorts ' + usd(t.short_usd) }),
      ),
      line,
      el('div', { class: 'meta', text: t.count.toLocaleString('en-US') + ' liquidations' }),
    );
  }

  /** Longs and shorts per 15-minute bucket, stacked; a feed gap is a hatched band over its span. */
  function chart(series) {
    const W = 960;
    const H = 180;
    const top = 4;
    const base = H - 2;
    const from = Date.parse(series.buckets[0].start);
    const to = Date.parse(series.buckets[series.buckets.length - 1].start) + BUCKET;
    const x = (ms) => ((ms - from) / (to - from)) * W;
    const max = Math.max(1, ...series.buckets.map((b) => b.total_usd));
    const y = (usdValue) => (usdValue / max) * (base - top);
    const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img', class: 'liq-chart' });
    root.setAttribute('aria-label', 'liquidations over the last 24 hours, 15-minute buckets, largest bucket ' + usd(max));
    for (const gap of series.gaps) {
      const start = Math.max(from, Date.parse(gap.start));
      const end = Math.min(to, Date.parse(gap.end));
      if (end <= start) continue;
      const band = svg('rect', { class: 'gap', x: x(start), y: 0, width: Math.max(2, x(end) - x(start)), height: base, 'data-testid': 'liq-gap' });
      band.append(svg('title', {}));
      band.firstChild.textContent = gap.venue + ' feed gap ' + clock(gap.start) + '–' + clock(gap.end) + ': liquidations in it were not recorded';
      root.append(band);
    }
    const width = W / series.buckets.length;
    for (const b of series.buckets) {
      const left = x(Date.parse(b.start)) + 0.5;
      const longH = y(b.long_usd);
      const shortH = y(b.short_usd);
      const group = svg('g', { 'data-testid': 'liq-bucket' });
      const title = svg('title', {});
      title.textContent = clock(b.start) + ': ' + usd(b.total_usd) + ' (longs ' + usd(b.long_usd) + ', shorts ' + usd(b.short_usd) + ', ' + b.count + ')';
      group.append(title);
      if (longH > 0) group.append(svg('rect', { class: 'long', x: left, y: base - longH, width: Math.max(1, width - 1), height: longH }));
      if (shortH > 0) group.append(svg('rect', { class: 'short', x: left, y: base - longH - shortH, width: Math.max(1, width - 1), height: shortH }));
      root.append(group);
    }
    root.append(svg('line', { class: 'axis', x1: 0, x2: W, y1: base, y2: base }));
    // Labels are HTML, not SVG text: the chart stretches to any width, which would distort text.
    const ticks = el('div', { class: 'ticks' });
    for (let hour = Math.ceil(from / (6 * HOUR)) * 6 * HOUR; hour < to; hour += 6 * HOUR) {
      const label = el('span', { text: new Date(hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }) });
      label.style.left = ((x(hour) / W) * 100).toFixed(2) + '%';
      ticks.append(label);
    }
    return el('div', {}, el('div', { class: 'meta', text: 'peak ' + usd(max) + ' / 15 min' }), root, ticks);
  }

  function largestItem(l) {
    return el(
      'li',
      { 'data-testid': 'liq-largest-item' },
      el('strong', { text: usd(l.notional_usd) }),
      ' ',
      el('span', { text: l.asset }),
      ' ',
      sideBadge(l.side),
      el('span', { class: 'meta', text: ' @ ' + fmt(l.price) + ' · ' + l.venue + ' · ' + clock(l.time) }),
    );
  }

  function leaderRow(s) {
    return el(
      'tr',
      { 'data-testid': 'liq-leader' },
      el('td', {}, el('strong', { text: s.symbol })),
      el('td', { class: 'num', text: usd(s.total_usd) }),
      el('td', { class: 'num long hide-narrow', text: usd(s.long_usd) }),
      el('td', { class: 'num short hide-narrow', text: usd(s.short_usd) }),
      el('td', { class: 'num', text: String(s.count) }),
    );
  }

  function liveItem(l, fresh) {
    return el(
      'div',
      { class: 'liq' + (fresh ? ' fresh' : ''), 'data-testid': 'liq-live-item', 'data-id': l.id },
      el('span', { class: 'when', text: clock(l.time) }),
      sideBadge(l.side),
      el('strong', { text: l.asset }),
      el('span', { class: 'num', text: usd(l.notional_usd) }),
      el('span', { class: 'meta', text: '@ ' + fmt(l.price) + ' · ' + l.venue }),
    );
  }

  let source = null;
  const ids = new Set();
  function addLive(l, fresh) {
    if (ids.has(l.id)) return;
    ids.add(l.id);
    const feed = $('liq-live');
    $('liq-live-empty')?.remove();
    if (fresh) feed.prepend(liveItem(l, true));
    else feed.append(liveItem(l, false));
    while (feed.children.length > MAX_LIVE) {
      ids.delete(feed.lastChild.getAttribute('data-id'));
      feed.lastChild.remove();
    }
  }

  /** (Re)starts the live feed at the chosen amount: the server filters, so a low-volume phone gets only what it shows. */
  async function startLive() {
    const min = minimum();
    if (source) source.close();
    $('liq-live').setAttribute('data-state', 'connecting');
    ids.clear();
    $('liq-live').replaceChildren(el('div', { class: 'empty', id: 'liq-live-empty', text: 'Waiting for a liquidation of at least ' + usd(min) + '…' }));
    try {
      const recent = await getJson('/api/liquidations?limit=20&min_usd=' + min);
      recent.liquidations.forEach((l) => addLive(l, false));
    } catch {
      /* shown by refresh() */
    }
    await session;
    source = new EventSource('/api/liquidations/stream?min_usd=' + min);
    const live = $('liq-live');
    live.setAttribute('data-min', String(min));
    source.onopen = () => live.setAttribute('data-state', 'open');
    source.onerror = () => live.setAttribute('data-state', 'reconnecting');
    source.addEventListener('liquidation', (message) => addLive(JSON.parse(message.data), true));
  }
})();
