// The Tenantry dashboard: one page over <path>/api. Tenant names, ids, attributes and messages are data, so
// they only ever become text nodes (h() below); no string of data is parsed as markup.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const TERMINAL = ['DONE', 'ROLLED_BACK'];
const state = { session: null, timer: null, tiers: [] };

/** Creates an element; strings and numbers among the children become text nodes, never markup. */
function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'className') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.substring(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

async function api(path, options) {
  const response = await fetch('api/' + path, Object.assign({ credentials: 'same-origin',
    headers: { Accept: 'application/json' } }, options));
  if (response.status === 401) {
    window.location.href = 'login';
    throw new Error('Signed out: sign in again.');
  }
  const body = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new Error(body?.message || 'The server answered ' + response.status + '.');
  }
  return body;
}

function act(id, body) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  const csrf = state.session?.csrf;
  if (csrf) headers[csrf.headerName] = csrf.token;
  return api('tenants/' + encodeURIComponent(id), { method: 'POST', headers, body: JSON.stringify(body) });
}

function notice(message) {
  const element = document.getElementById('notice');
  element.textContent = message || '';
  element.hidden = !message;
}

const number = n => Number(n).toLocaleString('en');

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

const time = iso => new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
const status = s => h('span', { className: 'status status-' + s.toLowerCase().replace('_', '-') }, s);
const link = id => '#/tenants/' + encodeURIComponent(id);

function placement(tenant) {
  if (!tenant.placement) return h('span', { className: 'error' }, tenant.routingError || 'not placed');
  const p = tenant.placement;
  return h('span', {}, p.model.toLowerCase() + ' · ' + p.store + ' · ' + p.namespace,
    physical(p) ? h('div', { className: 'muted small' }, physical(p)) : null,
    tenant.pinned ? h('span', { className: 'tag', title: 'Pinned on the tenant rather than chosen by a rule' }, 'pinned') : null);
}

/** Where the data physically is, when the adapter names more than the placement says. */
function physical(p) {
  if (!p.physical) return null;
  const names = [p.physical.database !== p.namespace ? 'database ' + p.physical.database : null,
    p.physical.schema ? 'schema ' + p.physical.schema : null,
    p.physical.tenantField ? 'field ' + p.physical.tenantField : null].filter(Boolean);
  return names.length ? names.join(' · ') : null;
}

/** One bar per quota of the tenant, when its descriptor has any: warn from 80 %, alert from 100 %. */
function quotas(tenant) {
  if (!Array.isArray(tenant.quotas) || tenant.quotas.length === 0) return null;
  return h('div', { className: 'quotas' }, tenant.quotas.map(q => {
    const limited = typeof q.limit === 'number';
    const counted = typeof q.usage === 'number';
    // a limit of 0 admits nothing: it is reached from the start
    const percent = !limited || !counted ? 0 : q.limit > 0 ? 100 * q.usage / q.limit : 100;
    const level = !limited ? 'unlimited' : percent >= 100 ? 'alert' : percent >= 80 ? 'warn' : 'ok';
    const fill = h('span', { className: 'fill' });
    fill.style.width = Math.min(100, percent) + '%';
    const amount = q.quota === 'bytes' ? bytes : number;
    return h('div', { className: 'quota quota-' + level, 'data-quota': q.quota },
      h('span', { className: 'quota-name' }, q.quota),
      h('span', { className: 'meter' }, fill),
      h('span', { className: 'quota-value' }, (counted ? amount(q.usage) : 'not counted yet') + ' / '
        + (limited ? amount(q.limit) : 'unlimited') + (limited && counted ? ' (' + Math.round(percent) + ' %)' : '')));
  }));
}

function usage(tenant) {
  return h('div', {}, tenant.usage ? number(tenant.usage.items) + ' items · ' + bytes(tenant.usage.bytes)
    : h('span', { className: 'muted' }, 'not measured yet'), quotas(tenant));
}

function operation(op) {
  if (!op) return h('span', { className: 'muted' }, '–');
  const running = !TERMINAL.includes(op.step);
  return h('span', { className: running ? 'running' : '' }, op.kind.toLowerCase() + ' · ' + op.step.toLowerCase().replaceAll('_', ' '));
}

async function showList() {
  const data = await api('tenants');
  state.tiers = [...new Set(data.tenants.map(t => t.tier))].sort();
  const rows = data.tenants.map(t => h('tr', { 'data-tenant': t.id },
    h('td', {}, h('a', { href: link(t.id), className: 'tenant-link' }, t.name), h('div', { className: 'muted small' }, t.id)),
    h('td', { className: 'status-cell' }, status(t.status)),
    h('td', {}, t.tier),
    h('td', {}, placement(t)),
    h('td', { className: 'usage-cell' }, usage(t)),
    h('td', { className: 'num' }, number(data.requestsLastMinute[t.id] || 0) + ' /min'),
    h('td', {}, operation(t.operation))));
  render(h('section', {},
    h('h1', {}, 'Tenants ', h('span', { className: 'muted' }, '(' + data.tenants.length + ')')),
    h('table', { id: 'tenants' },
      h('thead', {}, h('tr', {}, ['Tenant', 'Status', 'Tier', 'Placement', 'Usage and quotas', 'Requests', 'Operation']
        .map(title => h('th', {}, title)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7, className: 'muted' }, 'No tenants.'))))));
  schedule(showList, 5000);
}

/** Rounds an axis' top up to 1, 2 or 5 times a power of ten. */
function roundUp(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  return [1, 2, 5, 10].map(step => step * power).find(top => top >= value);
}

/** A line chart of one measure over time, with a point per measurement, drawn as inline SVG. */
function chart(title, measurements, value, format) {
  const width = 560, height = 180, left = 64, right = 16, top = 16, bottom = 28;
  const figure = h('figure', { className: 'chart' }, h('figcaption', {}, title));
  if (!measurements || measurements.length === 0) {
    figure.appendChild(h('p', { className: 'muted' }, 'No measurements yet.'));
    return figure;
  }
  const times = measurements.map(m => Date.parse(m.measuredAt));
  const values = measurements.map(value);
  const t0 = Math.min(...times), t1 = Math.max(...times), max = roundUp(Math.max(...values, 1) * 1.1);
  const x = t => t1 === t0 ? left + (width - left - right) / 2 : left + (t - t0) / (t1 - t0) * (width - left - right);
  const y = v => top + (1 - v / max) * (height - top - bottom);
  const points = measurements.map((m, i) => [x(times[i]), y(values[i])]);
  figure.appendChild(svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title },
    svg('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' }),
    svg('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }),
    svg('text', { x: left - 6, y: top + 4, 'text-anchor': 'end', class: 'label' }, format(max)),
    svg('text', { x: left - 6, y: height - bottom, 'text-anchor': 'end', class: 'label' }, '0'),
    svg('text', { x: left, y: height - 8, class: 'label' }, time(measurements[0].measuredAt)),
    svg('text', { x: width - right, y: height - 8, 'text-anchor': 'end', class: 'label' },
      time(measurements[measurements.length - 1].measuredAt)),
    svg('polyline', { points: points.map(p => p.join(',')).join(' '), class: 'line' }),
    points.map((p, i) => svg('circle', { cx: p[0], cy: p[1], r: 3, class: 'point' },
      svg('title', {}, time(measurements[i].measuredAt) + ': ' + format(values[i]))))));
  return figure;
}

function progress(op) {
  if (!op) return null;
  const running = !TERMINAL.includes(op.step);
  const total = op.totalItems, done = op.items;
  const fill = h('span', { className: 'fill' });
  const percent = total ? Math.min(100, 100 * (done || 0) / total) : (running ? 0 : 100);
  fill.style.width = percent + '%';
  return h('section', { className: 'card', id: 'operation' },
    h('h2', {}, 'Latest operation: ' + op.kind.toLowerCase()),
    h('p', {}, 'Step ', h('strong', { id: 'operation-step' }, op.step), op.to ? ' → ' + op.to : '',
      ' · started ' + time(op.startedAt) + ' · updated ' + time(op.updatedAt)),
    total !== null && total !== undefined || running ? h('div', { className: 'meter wide' }, fill) : null,
    done !== null && done !== undefined ? h('p', { className: 'muted' }, number(done) + (total ? ' of ' + number(total) : '')
      + ' items copied' + (op.itemsPerSecond ? ' · ' + number(op.itemsPerSecond) + '/s' : '')
      + (op.secondsLeft !== null && op.secondsLeft !== undefined ? ' · about ' + op.secondsLeft + ' s left' : '')) : null,
    op.detail ? h('p', { className: 'muted' }, op.detail) : null,
    op.error ? h('p', { className: 'error' }, op.error) : null);
}

function actions(tenant) {
  if (!state.session?.actions) {
    return h('section', { className: 'card' }, h('h2', {}, 'Actions'), h('p', { className: 'muted' },
      'The tenant lifecycle is not wired: it needs the catalogue in a store (tenantry.directory.source=jdbc or mongodb).'));
  }
  const run = body => async event => {
    event.preventDefault();
    notice('');
    try {
      await act(tenant.id, body());
      await showTenant(tenant.id);
    } catch (error) {
      notice(error.message);
    }
  };
  const tier = h('input', { id: 'tier', name: 'tier', placeholder: tenant.tier, list: 'tiers', required: true });
  const model = h('select', { id: 'model', name: 'model' }, ['field', 'collection', 'database'].map(m => h('option', { value: m }, m)));
  const store = h('input', { id: 'store', name: 'store', placeholder: 'store, e.g. main', required: true });
  const namespace = h('input', { id: 'namespace', name: 'namespace', placeholder: 'database, or prefix for the database model', required: true });
  const suspended = tenant.status === 'SUSPENDED';
  return h('section', { className: 'card', id: 'actions' }, h('h2', {}, 'Actions'),
    h('div', { className: 'row' },
      suspended ? h('button', { id: 'resume', onclick: run(() => ({ action: 'resume' })) }, 'Resume')
        : h('button', { id: 'suspend', className: 'danger', onclick: run(() => ({ action: 'suspend' })) }, 'Suspend'),
      h('span', { className: 'muted' }, suspended ? 'Requests for this tenant are refused until it is resumed.'
        : 'Suspending refuses every request for this tenant; its data stays.')),
    h('form', { className: 'row', onsubmit: run(() => ({ action: 'change-tier', tier: tier.value })) },
      h('label', { for: 'tier' }, 'Change tier'), tier,
      h('datalist', { id: 'tiers' }, state.tiers.map(t => h('option', { value: t }))),
      h('button', { type: 'submit' }, 'Change tier and move')),
    h('form', { className: 'row', onsubmit: run(() => ({ action: 'move', model: model.value, store: store.value,
      database: model.value === 'database' ? null : namespace.value, prefix: model.value === 'database' ? namespace.value : null })) },
    h('label', { for: 'model' }, 'Move to'), model, store, namespace, h('button', { type: 'submit' }, 'Start move')));
}

function audit(view) {
  const body = view.audit === null || view.audit === undefined ? h('p', { className: 'muted' }, view.auditNote)
    : view.audit.length === 0 ? h('p', { className: 'muted' }, 'No events.')
      : h('table', { id: 'audit' }, h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Event'), h('th', {}, 'Detail'))),
        h('tbody', {}, view.audit.map(e => h('tr', {}, h('td', { className: 'nowrap' }, time(e.at)),
          h('td', {}, e.kind.toLowerCase().replaceAll('_', ' ')), h('td', {}, e.detail)))));
  return h('section', { className: 'card' }, h('h2', {}, 'Recent audit events'), body);
}

async function showTenant(id) {
  const view = await api('tenants/' + encodeURIComponent(id));
  const t = view.tenant;
  render(h('section', {},
    h('p', { className: 'row' }, h('a', { href: '#/' }, '← All tenants'),
      h('button', { className: 'link', id: 'refresh', onclick: () => route() }, 'Refresh')),
    h('h1', { id: 'tenant-name' }, t.name),
    h('p', { className: 'facts' }, h('span', { id: 'tenant-status' }, status(t.status)), ' ',
      h('span', {}, 'id ', h('code', {}, t.id)), h('span', {}, 'tier ', h('strong', {}, t.tier)),
      t.region ? h('span', {}, 'region ' + t.region) : null, h('span', {}, 'placement ', placement(t)),
      h('span', {}, 'requests in the last minute ', h('strong', {}, number(view.requestsLastMinute)))),
    h('div', { className: 'grid' },
      h('section', { className: 'card' }, h('h2', {}, 'Usage'), usage(t),
        t.usage ? h('p', { className: 'muted small' }, 'measured ' + time(t.usage.measuredAt)) : null),
      actions(t)),
    progress(t.operation),
    h('section', { className: 'card', id: 'history' }, h('h2', {}, 'Usage history'),
      view.usage ? [chart('Items (documents or rows)', view.usage, m => m.items, number),
        chart('Bytes', view.usage, m => m.bytes, bytes)] : h('p', { className: 'muted' }, view.usageNote)),
    audit(view)));
  // refreshes itself only while an operation runs, so that it does not wipe a form being filled in
  if (t.operation && !TERMINAL.includes(t.operation.step)) schedule(() => showTenant(id), 1000);
}

function render(content) {
  const main = document.getElementById('main');
  main.replaceChildren(content);
}

function schedule(refresh, millis) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => refresh().catch(error => notice(error.message)), millis);
}

async function route() {
  clearTimeout(state.timer);
  const match = /^#\/tenants\/(.+)$/.exec(window.location.hash);
  try {
    if (match) await showTenant(decodeURIComponent(match[1]));
    else await showList();
  } catch (error) {
    notice(error.message);
  }
}

async function start() {
  try {
    state.session = await api('session');
  } catch (error) {
    notice(error.message);
    return;
  }
  if (state.session.user) {
    document.getElementById('user').textContent = state.session.user;
    const csrf = state.session.csrf;
    if (csrf) {
      const field = document.getElementById('logout-csrf');
      field.name = csrf.parameterName;
      field.value = csrf.token;
      document.getElementById('logout').hidden = false;
    }
  }
  window.addEventListener('hashchange', () => { notice(''); route(); });
  await route();
}

document.addEventListener('DOMContentLoaded', start);
