// Small DOM helpers: build elements without a framework, format numbers and times.

/** h('a', {href: '#/x', class: 'c'}, 'text', child): attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A number for people: 4 significant digits, exponent form when very small or large. */
export function num(x, digits = 4) {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 1).replace('e+', 'e');
  return Number(x.toPrecision(digits)).toString();
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {dateStyle: 'short', timeStyle: 'medium'});
}

export function badge(status) {
  return h('span', {class: `badge ${status}`}, status);
}

/** A labelled progress bar for a job; id lets a live stream find and update it. */
export function progressBar(id, step, steps, fraction, label) {
  const bar = h('progress', {id: `progress-${id}`, max: 1, value: fraction ?? 0,
    'aria-label': label, 'data-step': step});
  return h('span', {class: 'progress-cell'}, bar,
    h('span', {class: 'progress-text', id: `progress-text-${id}`}, `${step ?? 0} / ${steps ?? 0}`));
}

/** Sets a job's progress bar; source says where the numbers came from ("stream" or "poll"). */
export function updateProgress(id, step, steps, fraction, source) {
  const bar = document.getElementById(`progress-${id}`);
  if (bar) {
    bar.value = fraction;
    bar.dataset.step = step;
    if (source) bar.dataset.source = source;
  }
  const text = document.getElementById(`progress-text-${id}`);
  if (text) text.textContent = `${step} / ${steps}`;
}

/** Announces a short message to screen readers. */
export function announce(message) {
  const s = document.getElementById('status');
  if (s) s.textContent = message;
}

/**
 * Runs render(), which replaces what container holds, and puts the keyboard focus back on the
 * equivalent element (same id, or same control in the same table row) so live refreshes do not
 * steal it.
 */
export function keepFocus(container, render) {
  const active = document.activeElement;
  let selector = null;
  if (active && active !== document.body && container.contains(active)) {
    const row = active.closest('[data-id]');
    if (active.id) selector = `#${CSS.escape(active.id)}`;
    else if (row) selector = `[data-id="${row.dataset.id}"] ${active.tagName.toLowerCase()}`;
  }
  render();
  if (selector) container.querySelector(selector)?.focus();
}
