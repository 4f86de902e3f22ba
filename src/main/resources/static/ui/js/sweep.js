// One sweep: progress by state, the fitted scaling exponents with their intervals, log-log plots
// (one series per group with its fitted line), the table of experiments, downloads.
import {blobUrl, download, getJson, isTerminal, postJson} from './api.js';
import {announce, badge, fill, h, keepFocus, num, progressBar, when} from './dom.js';
import {problemBox} from './problem.js';
import {scalingPlot} from './charts.js';

const STATES = ['SUCCEEDED', 'RUNNING', 'QUEUED', 'FAILED', 'CANCELLED'];
const REFRESH_MS = 2000;
const METRICS = [
  ['kernelChange', 'dK'], ['hessianInit', '‖H(w₀)‖'], ['hessianEnd', '‖H(w_T)‖'], ['finalLoss', 'final loss'],
  ['weightChangeL2', '‖w − w₀‖₂'], ['linearizationError', 'linearisation error'], ['loss', 'loss'],
  ['infiniteWidthDistanceInit', 'dK∞(w₀)'],
];
/** What each x axis of the server's plot can show. */
const METRICS_BY_X = {
  width: ['kernelChange', 'hessianInit', 'hessianEnd', 'finalLoss', 'weightChangeL2', 'linearizationError',
    'infiniteWidthDistanceInit'],
  step: ['kernelChange', 'loss', 'weightChangeL2', 'linearizationError'],
};

export async function render(main, {id}) {
  let report = await getJson(`/api/v1/sweeps/${id}`);
  const messages = h('div', {id: 'sweep-messages'});
  const progress = h('section', {'aria-labelledby': 'progress-title'});
  const fits = h('section', {'aria-labelledby': 'fits-title'});
  const table = h('section', {'aria-labelledby': 'table-title'});
  const svg = h('section', {'aria-labelledby': 'svg-title'});
  fill(main, h('h1', {}, report.name), messages, progress, fits, svg, table);
  let timer = null;
  let stopped = false;
  let fitted = null;
  const urls = [];
  const charts = [];

  const cancel = async () => {
    try {
      report = (await postJson(`/api/v1/sweeps/${id}/cancel`)).body;
      announce('Cancel requested for the sweep');
      fill(messages, h('p', {class: 'notice', role: 'status'}, 'Cancel requested: unfinished experiments stop.'));
      draw();
    } catch (e) {
      fill(messages, problemBox(e, 'Could not cancel'));
    }
  };

  function draw() {
    keepFocus(progress, () => fill(progress, progressView(report, cancel)));
    keepFocus(table, () => fill(table, tableView(report)));
    // fits and plots change only when another experiment has succeeded
    const key = JSON.stringify(report.fits) + (report.counts?.SUCCEEDED || 0);
    if (key !== fitted) {
      fitted = key;
      charts.splice(0).forEach(c => c.destroy());
      fill(fits, fitsView(report, charts));
    }
  }

  async function refresh() {
    try {
      report = await getJson(`/api/v1/sweeps/${id}`);
      if (stopped) return;
      draw();
    } catch (e) {
      if (!stopped) fill(messages, problemBox(e, 'Could not refresh the sweep'));
    }
    if (!stopped && !isTerminal(report.status)) timer = setTimeout(refresh, REFRESH_MS);
    else if (!stopped) {
      refreshSvg();
      refreshBlocks();
    }
  }

  const svgForm = svgControls(report, id, () => refreshSvg());
  fill(svg, h('h2', {id: 'svg-title'}, 'The server\'s plot (SVG)'), svgForm.form, svgForm.figure);
  async function refreshSvg() {
    const {x, y} = svgForm.values();
    const path = `/api/v1/sweeps/${id}/plot.svg?x=${x}&y=${y}`;
    try {
      const url = await blobUrl(path);
      urls.push(url);
      fill(svgForm.figure, h('figcaption', {}, `${METRICS.find(m => m[0] === y)?.[1] || y} against ${x === 'width' ? 'the width m (log-log)' : 'the step t'}`),
        h('img', {src: url, alt: `Sweep ${report.name}: ${y} against ${x}`, id: 'sweep-svg'}));
    } catch (e) {
      fill(svgForm.figure, problemBox(e, 'Could not draw the SVG plot'));
    }
  }

  const blocksFigure = h('figure', {id: 'sweep-blocks-figure'});
  svg.append(blocksFigure);
  async function refreshBlocks() {
    if (!report.table.some(row => row.blockNormsInit)) return;
    try {
      const url = await blobUrl(`/api/v1/sweeps/${id}/blocks.svg`);
      urls.push(url);
      fill(blocksFigure, h('figcaption', {}, 'Hessian block norms ‖H^(l,l′)(w₀)‖ per width (heat maps, log colour scale)'),
        h('img', {src: url, alt: `Sweep ${report.name}: Hessian block norms as heat maps per width`, id: 'sweep-blocks-svg'}));
    } catch (e) {
      fill(blocksFigure, problemBox(e, 'Could not draw the block heat maps'));
    }
  }

  draw();
  refreshSvg();
  refreshBlocks();
  if (!isTerminal(report.status)) timer = setTimeout(refresh, REFRESH_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
    urls.forEach(u => URL.revokeObjectURL(u));
    charts.forEach(c => c.destroy());
  };
}

function progressView(r, cancel) {
  const c = r.counts || {};
  const total = r.children.length;
  const done = (c.SUCCEEDED || 0) + (c.FAILED || 0) + (c.CANCELLED || 0);
  return [
    h('h2', {id: 'progress-title'}, 'Progress'),
    h('div', {class: 'inline'},
      h('p', {}, 'Status ', badge(r.status)),
      h('p', {}, progressBar(r.id, done, total, total ? done / total : 0, 'Experiments done')),
      isTerminal(r.status) ? null : h('p', {}, h('button', {type: 'button', class: 'danger', id: 'cancel-sweep', onclick: cancel}, 'Cancel sweep')),
      h('p', {}, 'Created ', when(r.createdAt))),
    h('div', {class: 'stacked', role: 'img', id: 'sweep-states',
      'aria-label': STATES.map(s => `${c[s] || 0} ${s.toLowerCase()}`).join(', ')},
    STATES.filter(s => c[s]).map(s => h('span', {class: s, style: `width: ${100 * c[s] / Math.max(1, total)}%`, title: `${s}: ${c[s]}`}))),
    h('ul', {class: 'legend-list'}, STATES.map(s => h('li', {'data-state': s},
      h('span', {class: `swatch ${s}`, 'aria-hidden': 'true'}),
      `${s.toLowerCase()}: `, h('strong', {}, c[s] || 0)))),
    h('ul', {class: 'downloads'},
      h('li', {}, h('a', {href: `/api/v1/sweeps/${r.id}/table.csv`, class: 'button secondary', onclick: event => {
        event.preventDefault();
        download(`/api/v1/sweeps/${r.id}/table.csv`, `sweep-${r.id}.csv`);
      }}, 'table.csv'))),
  ];
}

function groupLabel(group) {
  const parts = Object.entries(group || {}).map(([k, v]) => (k === 'network.hiddenWidths' ? `widths ${v}`
    : k === 'network.outputMap' ? `${v} output` : `${k.split('.').pop()} ${v}`));
  return parts.reverse().join(', ') || 'all';
}

function interval(fit) {
  if (!fit) return '—';
  const ci = fit.slopeLower !== null && fit.slopeLower !== undefined
    ? ` [${fit.slopeLower.toFixed(3)}, ${fit.slopeUpper.toFixed(3)}]` : ' (no interval: too few points)';
  return `${fit.slope.toFixed(3)}${ci}`;
}

function fitsView(r, charts) {
  const out = [h('h2', {id: 'fits-title'}, 'Scaling exponents')];
  if (!r.fits?.length) {
    out.push(h('p', {class: 'hint'}, 'No fits yet: a group needs at least two widths with results.'));
    return out;
  }
  out.push(h('p', {class: 'hint'}, 'Least-squares slopes s of log y = a + s log m over each group\'s widths and seeds, with 95% '
    + 'confidence intervals. The paper predicts s ≈ −1/2 for ‖H(w₀)‖ with a linear output and s ≈ 0 with a non-linear output or a bottleneck.'));
  // the distance to the infinite-width kernel (SCIENCE.md: slope -1/2), when the sweep measured it
  const limit = r.fits.some(f => f.infiniteWidthDistanceInit);
  out.push(h('div', {class: 'table-wrap'}, h('table', {id: 'fits'},
    h('thead', {}, h('tr', {}, ['Group', 'Widths m', 'slope of ‖H(w₀)‖ [95% CI]', 'slope of dK [95% CI]',
      ...(limit ? ['slope of dK∞(w₀) [95% CI]'] : []), 'Points'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, r.fits.map(f => h('tr', {'data-group': groupLabel(f.group)},
      h('th', {scope: 'row'}, groupLabel(f.group)),
      h('td', {}, f.widths.join(', ')),
      h('td', {class: 'num slope-hessian', 'data-slope': f.hessianInit?.slope ?? ''}, interval(f.hessianInit)),
      h('td', {class: 'num slope-kernel', 'data-slope': f.kernelChange?.slope ?? ''}, interval(f.kernelChange)),
      limit ? h('td', {class: 'num slope-limit', 'data-slope': f.infiniteWidthDistanceInit?.slope ?? ''},
        interval(f.infiniteWidthDistanceInit)) : null,
      h('td', {class: 'num'}, f.kernelChange?.points?.length ?? 0)))))));
  out.push(...blockFitsView(r));
  const plots = h('div', {class: 'plots'});
  out.push(h('p', {class: 'hint'}, 'Points: each width\'s result (geometric mean over seeds); dashed: the fitted power law. '
    + 'Drag to zoom, double-click to reset, click a legend entry to hide a series.'), plots);
  for (const [key, label] of [['hessianInit', '‖H(w₀)‖'], ['kernelChange', 'dK'], ['infiniteWidthDistanceInit', 'dK∞(w₀)']]) {
    const groups = r.fits.filter(f => f[key]).map(f => ({label: groupLabel(f.group),
      points: f[key].points.map(p => [p.x, p.y]), slope: f[key].slope, intercept: f[key].intercept}));
    if (!groups.length) continue;
    const caption = `${label} against the width m (log-log), slopes: `
      + groups.map(g => `${g.label} ${g.slope.toFixed(3)}`).join('; ');
    const holder = h('div', {class: 'chart', role: 'img', 'aria-label': caption});
    plots.append(h('figure', {id: `scaling-${key}`}, h('figcaption', {}, `${label} against m`), holder));
    requestAnimationFrame(() => charts.push(scalingPlot(holder, groups, {xLabel: 'width m', yLabel: label})));
  }
  return out;
}

/** The slopes of each Hessian block norm and of the trace against m, when measured. */
function blockFitsView(r) {
  const fits = r.fits.filter(f => f.blockNorms || f.trace);
  if (!fits.length) return [];
  const blocks = [...new Set(fits.flatMap(f => Object.keys(f.blockNorms || {})))];
  const cell = fit => (fit ? fit.slope.toFixed(3) : '—');
  return [h('h3', {id: 'block-fits-title'}, 'Hessian blocks and trace'),
    h('p', {class: 'hint'}, 'Slopes of log ‖H^(l,l′)(w₀)‖ (mean over probes) and log |tr H(w₀)| against log m. For a linear '
      + 'output every block shrinks like m^(−1/2); a non-linear output or a bottleneck shows which blocks do not; '
      + '— marks a block that is exactly zero (e.g. the output layer\'s own block with a linear output).'),
    h('div', {class: 'table-wrap'}, h('table', {id: 'block-fits'},
      h('thead', {}, h('tr', {}, ['Group', ...blocks.map(b => `W${b.replace(',', ', W')}`), 'trace'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, fits.map(f => h('tr', {'data-group': groupLabel(f.group)},
        h('th', {scope: 'row'}, groupLabel(f.group)),
        blocks.map(b => h('td', {class: 'num', 'data-block': b}, cell(f.blockNorms?.[b]))),
        h('td', {class: 'num'}, cell(f.trace)))))))];
}

function tableView(r) {
  const paths = [...new Set(r.table.flatMap(row => Object.keys(row.overrides || {})))];
  const show = v => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return [h('h2', {id: 'table-title'}, `Experiments (${r.table.length})`),
    h('div', {class: 'table-wrap'}, h('table', {id: 'sweep-table'},
      h('thead', {}, h('tr', {}, ['#', ...paths, 'Status', 'm', 'dK', '‖H(w₀)‖', '‖H(w_T)‖', 'final loss', '‖w − w₀‖₂', 'lin. error']
        .map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, r.table.map(row => h('tr', {'data-id': row.id},
        h('td', {}, h('a', {href: `#/experiments/${row.id}`, 'aria-label': `experiment ${row.index}`}, row.index)),
        paths.map(p => h('td', {}, show(row.overrides?.[p]))),
        h('td', {}, badge(row.status)),
        h('td', {class: 'num'}, row.width),
        [row.kernelChange, row.hessianInit, row.hessianEnd, row.finalLoss, row.weightChangeL2, row.linearizationError]
          .map(x => h('td', {class: 'num'}, num(x))))))))];
}

function svgControls(r, id, onChange) {
  const y = h('select', {id: 'svg-y', name: 'y', onchange: onChange});
  const options = axis => {
    const chosen = y.value || (axis === 'step' ? 'kernelChange' : 'hessianInit');
    const measured = value => value !== 'infiniteWidthDistanceInit' || r.table.some(row => row.infiniteWidthDistanceInit != null);
    fill(y, METRICS.filter(([value]) => METRICS_BY_X[axis].includes(value) && measured(value))
      .map(([value, label]) => h('option', {value, selected: value === chosen}, label)));
  };
  const x = h('select', {id: 'svg-x', name: 'x', onchange: () => {
    options(x.value);
    onChange();
  }}, h('option', {value: 'width'}, 'width m (log-log, with fits)'), h('option', {value: 'step'}, 'step t (each experiment)'));
  // one width (figure-1-right): the interesting plot is over training
  if (new Set(r.table.map(row => row.width)).size <= 1) {
    x.value = 'step';
    y.value = 'kernelChange';
  }
  options(x.value);
  const figure = h('figure', {id: 'sweep-svg-figure'});
  const form = h('form', {class: 'inline', 'aria-label': 'SVG plot axes', onsubmit: e => e.preventDefault()},
    h('div', {class: 'field'}, h('label', {for: 'svg-x'}, 'x axis'), x),
    h('div', {class: 'field'}, h('label', {for: 'svg-y'}, 'y axis'), y),
    h('div', {class: 'field'}, h('a', {href: `/api/v1/sweeps/${id}/plot.svg`, class: 'button secondary', onclick: event => {
      event.preventDefault();
      download(`/api/v1/sweeps/${id}/plot.svg?x=${x.value}&y=${y.value}`, `sweep-${r.name}-${y.value}.svg`);
    }}, 'Download SVG')));
  return {form, figure, values: () => ({x: x.value, y: y.value})};
}
