// The jobs list: queue summary, sweeps and experiments, filters, live progress bars, cancel buttons.
import {followExperiment, getJson, isTerminal, postJson} from './api.js';
import {announce, badge, fill, h, keepFocus, progressBar, updateProgress, when} from './dom.js';
import {problemBox} from './problem.js';

const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const REFRESH_MS = 4000;
/** Browsers open about six connections per host over HTTP/1.1: keep most free for requests. */
const MAX_STREAMS = 3;

export async function render(main, {query}) {
  const filter = {status: query.get('status') || '', name: query.get('name') || '', tag: query.get('tag') || ''};
  const summary = h('section', {'aria-labelledby': 'queue-title'});
  const messages = h('div', {id: 'jobs-messages'});
  const sweeps = h('section', {'aria-labelledby': 'sweeps-title'});
  const experiments = h('section', {'aria-labelledby': 'experiments-title'});
  const form = filterForm(filter);
  fill(main, h('h1', {}, 'Jobs'), summary, form, messages, sweeps, experiments);

  const streams = new Map();
  let timer = null;
  let stopped = false;

  const cancel = async (kind, id, name) => {
    try {
      await postJson(`/api/v1/${kind}/${id}/cancel`);
      announce(`Cancelling ${name}`);
      fill(messages, h('p', {class: 'notice', role: 'status'}, `Cancel requested for ${name}.`));
    } catch (e) {
      fill(messages, problemBox(e, `Could not cancel ${name}`));
    }
    refresh();
  };

  async function refresh() {
    clearTimeout(timer);
    try {
      const params = new URLSearchParams({size: '50'});
      if (filter.status) params.set('status', filter.status);
      if (filter.name) params.set('name', filter.name);
      if (filter.tag) params.set('tag', filter.tag);
      const [queue, sweepPage, page] = await Promise.all([
        getJson('/api/v1/queue'), getJson('/api/v1/sweeps?size=50'), getJson(`/api/v1/experiments?${params}`)]);
      if (stopped) return;
      fill(summary, queueSummary(queue));
      keepFocus(sweeps, () => fill(sweeps, sweepTable(filterSweeps(sweepPage.items, filter), cancel)));
      keepFocus(experiments, () => fill(experiments, experimentTable(page, cancel)));
      follow(page.items.filter(e => e.status === 'RUNNING').map(e => e.id));
    } catch (e) {
      if (!stopped) fill(messages, problemBox(e, 'Could not load the jobs'));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  /** Streams the progress of the running experiments shown (the first few), stops the others. */
  function follow(ids) {
    const wanted = new Set(ids.slice(0, MAX_STREAMS));
    for (const [id, stop] of streams) {
      if (!wanted.has(id)) {
        stop();
        streams.delete(id);
      }
    }
    for (const id of wanted) {
      if (streams.has(id)) continue;
      streams.set(id, followExperiment(id, (p, source) => updateProgress(id, p.step, p.steps, p.fraction, source), () => {
        streams.delete(id);
        refresh();
      }));
    }
  }

  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    streams.forEach(stop => stop());
  };
}

function filterForm(filter) {
  const status = h('select', {id: 'filter-status', name: 'status'},
    h('option', {value: ''}, 'any'), STATUSES.map(s => h('option', {value: s, selected: s === filter.status}, s)));
  const name = h('input', {id: 'filter-name', name: 'name', type: 'search', value: filter.name, size: 18});
  const tag = h('input', {id: 'filter-tag', name: 'tag', type: 'search', value: filter.tag, size: 18,
    placeholder: 'key=value', 'aria-describedby': 'filter-tag-hint'});
  const form = h('form', {id: 'filter-form', role: 'search', 'aria-label': 'Filter jobs', class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      const q = new URLSearchParams();
      if (status.value) q.set('status', status.value);
      if (name.value.trim()) q.set('name', name.value.trim());
      if (tag.value.trim()) q.set('tag', tag.value.trim());
      location.hash = `#/jobs${q.size ? `?${q}` : ''}`;
    }},
  h('div', {class: 'field'}, h('label', {for: 'filter-status'}, 'Status'), status),
  h('div', {class: 'field'}, h('label', {for: 'filter-name'}, 'Name'), name),
  h('div', {class: 'field'}, h('label', {for: 'filter-tag'}, 'Tag'), tag),
  h('div', {class: 'field'}, h('button', {type: 'submit'}, 'Filter')),
  h('div', {class: 'field'}, h('a', {href: '#/jobs', class: 'button secondary'}, 'Clear')));
  return h('div', {}, form, h('p', {id: 'filter-tag-hint', class: 'hint'},
    'Name matches exactly; a tag is key=value or a key alone (a sweep\'s experiments carry sweep=<id>). '
    + 'Sweeps are filtered by status, name and their tags.'));
}

function filterSweeps(items, filter) {
  const [key, value] = filter.tag ? [filter.tag.split('=')[0], filter.tag.includes('=') ? filter.tag.slice(filter.tag.indexOf('=') + 1) : null] : [null, null];
  return items.filter(s => (!filter.status || s.status === filter.status)
    && (!filter.name || s.name === filter.name)
    && (!key || (s.tags && key in s.tags && (value === null || s.tags[key] === value))));
}

function queueSummary(q) {
  const card = (label, value, id) => h('div', {class: 'card'}, h('dt', {}, label), h('dd', {id}, value));
  return [
    h('h2', {id: 'queue-title'}, 'Queue'),
    h('dl', {class: 'cards'},
      card('Queued', q.queued, 'queue-queued'),
      card('Running (all instances)', q.running, 'queue-running'),
      card(`Workers busy on ${q.instance}`, `${q.busyWorkers} / ${q.workers}`, 'queue-workers'),
      card('Failed', q.failed, 'queue-failed')),
    q.recentFailures.length
      ? h('details', {}, h('summary', {}, `Recent failures (${q.recentFailures.length})`),
        h('ul', {}, q.recentFailures.map(f => h('li', {},
          h('a', {href: `#/experiments/${f.id}`}, f.name), ` — ${f.error || 'no message'} (${when(f.finishedAt)})`))))
      : null,
  ];
}

function counts(s) {
  const c = s.counts || {};
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const done = (c.SUCCEEDED || 0) + (c.FAILED || 0) + (c.CANCELLED || 0);
  return {total, done};
}

function sweepTable(items, cancel) {
  if (!items.length) return [h('h2', {id: 'sweeps-title'}, 'Sweeps'), h('p', {class: 'hint'}, 'No sweeps match.')];
  return [h('h2', {id: 'sweeps-title'}, 'Sweeps'), h('div', {class: 'table-wrap'}, h('table', {id: 'sweeps'},
    h('thead', {}, h('tr', {}, ['Name', 'Status', 'Experiments done', 'Created', 'Actions'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, items.map(s => {
      const {total, done} = counts(s);
      return h('tr', {'data-id': s.id},
        h('td', {}, h('a', {href: `#/sweeps/${s.id}`}, s.name)),
        h('td', {}, badge(s.status)),
        h('td', {}, progressBar(s.id, done, total, total ? done / total : 0, `${s.name}: experiments done`)),
        h('td', {}, when(s.createdAt)),
        h('td', {}, isTerminal(s.status) ? null : h('button', {type: 'button', class: 'danger',
          'aria-label': `Cancel sweep ${s.name}`, onclick: () => cancel('sweeps', s.id, s.name)}, 'Cancel')));
    }))))];
}

function experimentTable(page, cancel) {
  const title = h('h2', {id: 'experiments-title'}, `Experiments (${page.total})`);
  if (!page.items.length) return [title, h('p', {class: 'hint'}, 'No experiments match.')];
  return [title, h('div', {class: 'table-wrap'}, h('table', {id: 'experiments'},
    h('thead', {}, h('tr', {}, ['Name', 'Status', 'Progress (steps)', 'Sweep', 'Created', 'Actions'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, page.items.map(e => h('tr', {'data-id': e.id},
      h('td', {}, h('a', {href: `#/experiments/${e.id}`}, e.name)),
      h('td', {}, badge(e.status)),
      h('td', {}, progressBar(e.id, e.progress.step, e.progress.steps, e.progress.fraction, `${e.name}: training progress`)),
      h('td', {}, e.tags?.sweep ? h('a', {href: `#/sweeps/${e.tags.sweep}`}, 'sweep') : '—'),
      h('td', {}, when(e.createdAt)),
      h('td', {}, isTerminal(e.status) ? null : h('button', {type: 'button', class: 'danger',
        'aria-label': `Cancel experiment ${e.name}`, onclick: () => cancel('experiments', e.id, e.name)}, 'Cancel'))))))),
  page.total > page.items.length ? h('p', {class: 'hint'}, `Showing the newest ${page.items.length} of ${page.total}.`) : null];
}
