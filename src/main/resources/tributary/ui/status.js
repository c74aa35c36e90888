// The status page: draws /api/sources, /api/sources/{id}/history and /api/jobs every few seconds.
// Every value goes into the page as text (textContent, attributes), never as markup: error messages
// come from databases and other nodes.
'use strict';

const REFRESH_MS = 5000;
const HOUR_MS = 3600000;
const SVG = 'http://www.w3.org/2000/svg';
const histories = new Map(); // source id -> { fetched: ms, intervalMs, samples }

function el(tag, attributes, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) e.append(c === null || c === undefined ? '' : c);
  return e;
}

function svg(tag, attributes) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

async function api(method, path) {
  const r = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((body && body.errorMessage) || ('HTTP ' + r.status));
  return body;
}

function seconds(s) {
  if (s === null || s === undefined) return '–';
  if (s < 90) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  if (s < 5400) return (s / 60).toFixed(0) + ' min';
  if (s < 172800) return (s / 3600).toFixed(1) + ' h';
  return (s / 86400).toFixed(1) + ' d';
}

function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en');
}

function rate(r) {
  return r === null || r === undefined ? '–' : (r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en'));
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** A line of one value over the last hour; the largest value is written in the corner. */
function chart(samples, value, kind, format) {
  const w = 160, h = 36, now = Date.now();
  const s = svg('svg', { class: 'chart ' + kind, width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img' });
  const points = samples.map(x => [Date.parse(x.at), x[value]]).filter(p => p[1] !== null && p[1] !== undefined);
  const max = points.reduce((m, p) => Math.max(m, p[1]), 0);
  const title = svg('title', {});
  title.textContent = points.length ? `${kind}, last hour: max ${format(max)}, now ${format(points[points.length - 1][1])}`
    : `${kind}: no samples yet`;
  s.append(title, svg('line', { x1: 0, y1: h - 0.5, x2: w, y2: h - 0.5 }));
  if (points.length) {
    const top = max > 0 ? max : 1;
    const xy = points.map(([t, v]) => {
      const x = Math.max(0, Math.min(w, w - (now - t) / HOUR_MS * w));
      const y = h - 1 - (v / top) * (h - 12);
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    s.append(svg('polyline', { points: xy.join(' ') }));
    const label = svg('text', { x: 2, y: 9 });
    label.textContent = format(max);
    s.append(label);
  }
  return s;
}

async function act(id, action) {
  try {
    await api('POST', '/api/sources/' + encodeURIComponent(id) + '/' + action);
    show('');
  } catch (e) {
    show(action + ' ' + id + ': ' + e.message);
  }
  refresh();
}

function show(text) {
  document.getElementById('message').textContent = text;
}

function sourceRow(s) {
  const h = histories.get(s.id);
  const samples = h ? h.samples : [];
  const last = samples.length ? samples[samples.length - 1] : null;
  const error = s.lastError;
  const errorCell = el('td', { class: 'error', title: error ? 'at ' + error.at : null },
    error ? error.message : '');
  // a source paused while its run in progress ends still shows 'running', and can be resumed already
  const paused = s.state === 'paused' || !!s.pausedAt, stopped = s.state === 'stopped';
  const button = (action, label, disabled) => {
    const b = el('button', { type: 'button', 'data-action': action, disabled }, label);
    b.addEventListener('click', () => act(s.id, action));
    return b;
  };
  const backlog = s.backlog && s.backlog.rows !== null ? (s.backlog.atLeast ? '≥ ' : '') + count(s.backlog.rows) : '–';
  return el('tr', { 'data-source': s.id },
    el('td', { title: s.mode + ' ' + s.table + ' → ' + s.collection }, s.id),
    el('td', {}, el('span', { class: 'state state-' + s.state }, s.state)),
    el('td', { class: 'number', title: s.lagSource === 'oldestChange' ? 'age of the oldest waiting change'
      : s.lagSource === 'lastEmptyRun' ? 'time since nothing was last waiting' : null }, seconds(s.lagSeconds)),
    el('td', { class: 'number', title: s.backlog && s.backlog.error ? s.backlog.error : null }, backlog),
    el('td', { class: 'number' }, rate(last ? last.rowsPerSecond : null)),
    el('td', {}, chart(samples, 'rowsPerSecond', 'rows/s', rate)),
    el('td', {}, chart(samples, 'lagSeconds', 'lag', seconds)),
    errorCell,
    el('td', { class: 'actions' },
      button('pause', 'Pause', paused || stopped),
      button('resume', 'Resume', !paused),
      button('run', 'Run now', paused || stopped)));
}

function jobRow(j) {
  const p = j.progress || {};
  const total = p.rowsTotal > 0 ? p.rowsTotal : null;
  const bar = el('progress', { max: total || null, value: total ? Math.min(p.rowsDone, total) : null });
  const text = count(p.rowsDone) + (total ? ' / ' + count(total) : '') + ' rows';
  return el('tr', { 'data-job': j.id, 'data-status': j.status },
    el('td', { title: j.id }, (j.id || '').slice(0, 8)),
    el('td', {}, j.kind),
    el('td', {}, el('span', { class: 'state state-' + (j.status === 'running' ? 'running' : j.status === 'succeeded' ? 'idle' : 'failing') }, j.status)),
    el('td', {}, time(j.startedAt)),
    el('td', {}, bar, ' ', el('span', { class: 'muted' }, text)),
    el('td', { class: 'error' }, j.error || ''));
}

async function refreshHistories(sources) {
  const now = Date.now();
  await Promise.all(sources.map(async s => {
    const h = histories.get(s.id);
    if (h && now - h.fetched < Math.max(REFRESH_MS, h.intervalMs)) return;
    try {
      const body = await api('GET', '/api/sources/' + encodeURIComponent(s.id) + '/history');
      histories.set(s.id, { fetched: now, intervalMs: body.intervalSeconds * 1000, samples: body.samples || [] });
    } catch (e) {
      // the table still shows the source; its charts wait for the next refresh
    }
  }));
  for (const id of [...histories.keys()]) {
    if (!sources.some(s => s.id === id)) histories.delete(id);
  }
}

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true; // a button was pressed during a refresh: show its effect right after
    return;
  }
  refreshing = true;
  try {
    const [sources, jobs] = await Promise.all([api('GET', '/api/sources'), api('GET', '/api/jobs')]);
    const list = sources.sources || [];
    await refreshHistories(list);
    document.querySelector('#sources tbody').replaceChildren(...list.map(sourceRow));
    document.getElementById('no-sources').hidden = list.length > 0;
    const all = jobs.jobs || [];
    const shown = all.filter(j => j.status === 'running').concat(all.filter(j => j.status !== 'running').slice(0, 20));
    document.querySelector('#jobs tbody').replaceChildren(...shown.map(jobRow));
    document.getElementById('no-jobs').hidden = shown.length > 0;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('updated').textContent = 'not updated: ' + e.message;
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  refresh();
  setInterval(refresh, REFRESH_MS);
});
