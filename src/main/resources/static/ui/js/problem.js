import {h} from './dom.js';

/** An RFC 9457 problem (or any error) as an alert: title, status, detail and each field's message. */
export function problemBox(error, heading) {
  const p = error?.problem || {title: heading || 'Something went wrong', detail: error?.message || String(error)};
  const errors = Array.isArray(p.errors) ? p.errors : [];
  return h('div', {class: 'problem', role: 'alert'},
    h('h3', {}, heading || p.title || 'Error', p.status ? ` (${p.status})` : ''),
    p.detail ? h('p', {class: 'problem-detail'}, p.detail) : null,
    errors.length ? h('ul', {class: 'problem-errors'},
      errors.map(e => h('li', {'data-field': e.field}, e.field ? h('code', {}, e.field) : null, e.field ? ': ' : '', e.message)))
      : null,
    p.estimateBytes ? h('p', {}, `Estimated memory ${(p.estimateBytes / 2 ** 20).toFixed(1)} MiB, budget ${(p.budgetBytes / 2 ** 20).toFixed(1)} MiB.`) : null,
    p.retryAfterSeconds ? h('p', {}, `Retry after ${p.retryAfterSeconds} s.`) : null);
}
