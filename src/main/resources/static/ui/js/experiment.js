// One experiment: state and live progress, the result numbers with their meaning, plots over
// training, downloads, the spec.
import {blobUrl, download, followExperiment, getJson, getText, isTerminal, postJson} from './api.js';
import {announce, badge, fill, h, num, progressBar, updateProgress, when} from './dom.js';
import {problemBox} from './problem.js';
import {linePlot} from './charts.js';

export async function render(main, {id}) {
  const view = await getJson(`/api/v1/experiments/${id}`);
  let stop = () => {};
  const urls = [];
  const messages = h('div', {id: 'experiment-messages'});
  const head = h('div', {});
  const body = h('div', {});
  fill(main, h('h1', {}, view.name), head, messages, body);

  const draw = v => {
    fill(head, header(v, async () => {
      try {
        const r = await postJson(`/api/v1/experiments/${id}/cancel`);
        announce('Cancel requested');
        fill(messages, h('p', {class: 'notice', role: 'status'},
          r.status === 202 ? 'Cancel requested: it stops within one training step.' : 'Cancelled.'));
        if (isTerminal(r.body.status)) draw(r.body);
      } catch (e) {
        fill(messages, problemBox(e, 'Could not cancel'));
      }
    }));
    fill(body, ...details(v));
    if (v.status === 'SUCCEEDED') results(body, v, urls);
  };
  draw(view);

  if (!isTerminal(view.status)) {
    stop = followExperiment(id, (p, source) => {
      updateProgress(id, p.step, p.steps, p.fraction, source);
      const b = head.querySelector('.badge');
      if (b && b.textContent !== p.status) {
        b.className = `badge ${p.status}`;
        b.textContent = p.status;
      }
    }, ended => {
      announce(`Experiment ${ended.status}`);
      draw(ended);
    });
  }
  return () => {
    stop();
    urls.forEach(u => URL.revokeObjectURL(u));
  };
}

function header(v, cancel) {
  return h('div', {class: 'inline'},
    h('p', {}, 'Status ', badge(v.status)),
    h('p', {}, progressBar(v.id, v.progress.step, v.progress.steps, v.progress.fraction, 'Training progress')),
    isTerminal(v.status) ? null : h('p', {}, h('button', {type: 'button', class: 'danger', id: 'cancel-experiment', onclick: cancel}, 'Cancel')),
    v.tags?.sweep ? h('p', {}, h('a', {href: `#/sweeps/${v.tags.sweep}`}, 'Its sweep')) : null);
}

function details(v) {
  const tags = Object.entries(v.tags || {}).map(([k, val]) => `${k}=${val}`).join(', ') || '—';
  return [
    h('dl', {class: 'props'},
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, v.id)),
      h('dt', {}, 'Tags'), h('dd', {}, tags),
      h('dt', {}, 'Created'), h('dd', {}, when(v.createdAt)),
      h('dt', {}, 'Started'), h('dd', {}, when(v.startedAt)),
      h('dt', {}, 'Finished'), h('dd', {}, when(v.finishedAt)),
      h('dt', {}, 'Attempts'), h('dd', {}, v.attempts)),
    v.error ? h('div', {class: 'problem', role: 'alert'}, h('h3', {}, 'It failed'), h('p', {}, v.error)) : null,
    h('section', {'aria-labelledby': 'spec-title'}, h('h2', {id: 'spec-title'}, 'Spec'),
      specSummary(v.spec),
      h('details', {}, h('summary', {}, 'The whole spec (JSON, defaults filled in)'),
        h('pre', {tabindex: 0, 'aria-label': 'spec as JSON'}, JSON.stringify(v.spec, null, 2)))),
  ];
}

function specSummary(s) {
  const n = s.network;
  const d = s.data;
  const t = s.training;
  const lr = typeof t.learningRate === 'number' ? t.learningRate : `auto, η = ${t.learningRate?.auto}`;
  const data = d.dataset ? `dataset ${d.dataset}` : `${d.generator}, n = ${d.n}, d = ${d.inputDim}`;
  return h('dl', {class: 'props'},
    h('dt', {}, 'Network'), h('dd', {}, `hidden widths [${n.hiddenWidths.join(', ')}], ${n.activation}, output ${n.outputMap} (c = ${n.outputDim}), ${n.parameterization}`),
    h('dt', {}, 'Data'), h('dd', {}, data),
    h('dt', {}, 'Training'), h('dd', {}, `${t.steps} steps of gradient descent, learning rate ${lr}, ${t.loss}`),
    h('dt', {}, 'Measurements'), h('dd', {}, `kernel every ${s.measurements.kernelEvery} steps, ‖H‖ at ${s.measurements.hessianAt}`
      + (s.measurements.hessianBlocks ? ', layer blocks' : '') + (s.measurements.hessianTrace ? ', trace' : '')
      + (s.measurements.hessianDensity ? ', spectral density' : '') + (s.measurements.lossHessian ? ', loss Hessian' : '')
      + (s.measurements.infiniteWidthKernel ? ', distance to the infinite-width kernel' : '')),
    h('dt', {}, 'Seed, dtype'), h('dd', {}, `${s.seed}, ${s.dtype}`));
}

/** [label, value, meaning] for each number of the result. */
function numbers(r) {
  const hi = r.hessianInit;
  const he = r.hessianEnd;
  return [
    ['dK', r.kernelChange, 'sup over recorded t of ‖K(w_t) − K(w₀)‖_F / ‖K(w₀)‖_F: how far the tangent kernel moved during training (→ 0 for wide networks with a linear output).'],
    ['‖H(w₀)‖', hi?.max, `Spectral norm of the model Hessian at initialisation, the largest over ${hi?.probes?.length ?? 0} probes (mean ${num(hi?.mean)}): small ‖H‖ means f is nearly linear in w around w₀.`],
    ['‖H(w_T)‖', he?.max, he ? `The same at the end of training (mean ${num(he.mean)}): the model stays close to linear along the whole path.` : 'Not measured at the end (hessianAt = init).'],
    ['‖w − w₀‖₂', r.weightChangeL2, 'Euclidean distance the weights moved; O(1) while each weight moves O(1/√m).'],
    ['‖w − w₀‖∞', r.weightChangeLinf, 'The largest change of a single weight.'],
    ['Linearisation error', r.linearizationError, 'max_i ‖f(w_T; x_i) − f_lin(w_T; x_i)‖ with f_lin the first-order Taylor model at w₀: the distance to the linearised model at the end.'],
    ['‖K(w₀)‖_F', r.kernelNormInit, 'Frobenius norm of the full tangent kernel K = J Jᵀ at initialisation.'],
    ['Loss', r.initialLoss, `Initial loss L(w₀); final L(w_T) = ${num(r.finalLoss)} after ${r.steps} steps${r.reachedLossTarget ? ' (loss target reached)' : ''}.`],
    ['Learning rate', r.learningRate, 'The effective step size (auto: η n / λ_max(K(w₀))).'],
    ['λ_max(K(w₀))', r.kernelSpectrumInit?.lambdaMax, 'Largest eigenvalue of the full kernel at initialisation; it sets the automatic step size.'],
    ['λ_min(K(w₀))', r.kernelSpectrumInit?.lambdaMin, `Smallest eigenvalue; ${r.kernelSpectrumInit?.conditionNumber ? `condition number λ_max / λ_min = ${num(r.kernelSpectrumInit.conditionNumber)}` : 'K is singular here (λ_min ≤ 0)'}. Fast convergence needs K well conditioned along the path.`],
    ['Parameters', r.parameterCount, `Trainable weights p; ran in ${num(r.durationSeconds)} s.`],
    ...hessianNumbers(r),
    ...infiniteWidth(r.infiniteWidthKernel),
  ];
}

/** The rows of the distance to the infinite-width kernel Θ∞ (none unless measured; its reason when undefined). */
function infiniteWidth(k) {
  if (!k) return [];
  if (k.reason) return [['dK∞', null, `Distance to the infinite-width kernel: not defined here. ${k.reason}.`]];
  const how = k.expectations === 'quadrature'
    ? `Gaussian expectations by adaptive quadrature (largest change between refinements ${num(k.quadratureChange)} of their scale)`
    : 'Gaussian expectations in closed form';
  return [
    ['dK∞(w₀)', k.distanceInit, `‖K(w₀) − Θ∞ ⊗ I_c‖_F / ‖Θ∞ ⊗ I_c‖_F: how far the finite-width kernel is from its infinite-width limit Θ∞ at initialisation (shrinks like m^(−1/2)). ${how}.`],
    ['dK∞(w_T)', k.distanceEnd, 'The same distance at the end of training (the last recorded kernel).'],
    ['λ_max(Θ∞)', k.lambdaMax, 'Largest eigenvalue of the infinite-width kernel Θ∞ (n × n; kernels.npz holds it as Kinf).'],
    ['λ_min(Θ∞)', k.lambdaMin, 'Smallest eigenvalue of Θ∞: the limit\'s conditioning.'],
  ];
}

/** The trace of H (mean over probes) and the loss Hessian's extremes, when measured. */
function hessianNumbers(r) {
  const rows = [];
  const traces = (r.hessianInit?.probes || []).map(p => p.trace).filter(t => t);
  if (traces.length) {
    const mean = traces.reduce((a, t) => a + t.estimate, 0) / traces.length;
    rows.push(['tr H(w₀)', mean, `Hutchinson's estimate of the trace of the model Hessian, mean over ${traces.length} probes (${traces[0].samples} Rademacher vectors each; standard error of the first ${num(traces[0].standardError)}).`]);
  }
  for (const [at, l] of [['w₀', r.lossHessianInit], ['w_T', r.lossHessianEnd]]) {
    if (!l) continue;
    rows.push([`λ_max(∇²L(${at}))`, l.lambdaMax, `Largest eigenvalue of the training loss's Hessian (J^T J / n plus the residual term); smallest ${num(l.lambdaMin)}; the Gauss-Newton part's λ_max = ${num(l.gaussNewtonLambdaMax)}${l.converged ? '' : ' (Lanczos did not converge)'}.`]);
  }
  return rows;
}

function results(body, v, urls) {
  const r = v.result;
  const plots = h('div', {class: 'plots'});
  const downloads = h('ul', {class: 'downloads'});
  body.append(
    h('section', {'aria-labelledby': 'result-title'}, h('h2', {id: 'result-title'}, 'Result'),
      h('div', {class: 'table-wrap'}, h('table', {id: 'result-numbers'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Quantity'), h('th', {scope: 'col', class: 'num'}, 'Value'), h('th', {scope: 'col'}, 'Meaning'))),
        h('tbody', {}, numbers(r).map(([label, value, meaning]) => h('tr', {},
          h('th', {scope: 'row'}, label), h('td', {class: 'num'}, num(value)), h('td', {}, meaning)))))),
      r.notes?.length ? h('ul', {class: 'notes'}, r.notes.map(n => h('li', {}, n))) : null),
    r.timings ? timingsSection(r) : null,
    h('section', {'aria-labelledby': 'plots-title'}, h('h2', {id: 'plots-title'}, 'Over training'),
      h('p', {class: 'hint'}, 'Drag across a plot to zoom, double-click to reset; click a legend entry to hide it.'), plots),
    h('section', {'aria-labelledby': 'downloads-title'}, h('h2', {id: 'downloads-title'}, 'Downloads'), downloads));

  const files = {...(v.artifacts || {}), 'plot.svg': `/api/v1/experiments/${v.id}/plot.svg`};
  for (const [name, path] of Object.entries(files)) {
    downloads.append(h('li', {}, h('a', {href: path, class: 'button secondary', download: name,
      onclick: event => {
        event.preventDefault();
        download(path, name).catch(e => body.prepend(problemBox(e, `Could not download ${name}`)));
      }}, name)));
  }
  drawPlots(plots, v, urls).catch(e => plots.append(problemBox(e, 'Could not draw the plots')));
}

/** What each phase of result.timings.phases means; a phase not listed here shows under its own name. */
const PHASES = {
  setup: 'set-up: data, w₀, K(w₀)',
  training: 'training steps',
  kernelRecords: 'kernel records',
  hessian: '‖H‖ (Lanczos)',
  linearization: 'linearisation error',
  exports: 'exports',
};

/** One horizontal bar: the phases' shares of durationSeconds, then the seconds per phase and per probe. */
function timingsSection(r) {
  const phases = Object.entries(r.timings.phases || {});
  const total = phases.reduce((s, [, x]) => s + x, 0) || 1;
  const label = key => PHASES[key] || key;
  const bar = h('div', {class: 'timing-bar', role: 'img',
    'aria-label': `Time by phase: ${phases.map(([k, x]) => `${label(k)} ${num(x)} s`).join(', ')}`},
  phases.map(([key, x], i) => h('span', {class: `timing-phase phase-${i % 8}`, title: `${label(key)}: ${num(x)} s`,
    style: `width: ${(100 * x / total).toFixed(2)}%`})));
  const probes = r.timings.hessianProbes || [];
  return h('section', {'aria-labelledby': 'timings-title'}, h('h2', {id: 'timings-title'}, 'Where the time went'),
    h('p', {}, `${num(r.durationSeconds)} s in all.`), bar,
    h('ul', {class: 'timing-legend', id: 'timings'}, phases.map(([key, x], i) => h('li', {},
      h('span', {class: `swatch phase-${i % 8}`, 'aria-hidden': 'true'}),
      `${label(key)}: ${num(x)} s (${(100 * x / total).toFixed(1)}%)`))),
    probes.length ? h('details', {}, h('summary', {}, `‖H‖ per probe (${probes.length} Lanczos runs)`),
      h('ul', {}, probes.map(p => h('li', {}, `step ${p.step}, input ${p.index}, output ${p.output}: ${num(p.seconds)} s`)))) : null);
}

async function drawPlots(plots, v, urls) {
  const figure = (id, caption) => {
    const holder = h('div', {class: 'chart', role: 'img', 'aria-label': caption});
    plots.append(h('figure', {id}, h('figcaption', {}, caption), holder));
    return holder;
  };
  const t = v.result.trajectory;
  const steps = t.map(p => p.step);
  const losses = await lossesPerStep(v);
  linePlot(figure('plot-loss', 'Loss L(w_t)'), losses.steps,
    [{label: 'loss', values: losses.values}], {xLabel: 'step t', yLabel: 'loss', logY: losses.values.every(x => x > 0)});
  linePlot(figure('plot-kernel', 'Kernel change dK(t)'), steps,
    [{label: 'dK(t)', values: t.map(p => p.kernelChange)}], {xLabel: 'step t', yLabel: 'dK(t)'});
  if (t.some(p => p.linearizationError !== null && p.linearizationError !== undefined)) {
    linePlot(figure('plot-linearization', 'Linearisation error'), steps,
      [{label: 'max_i ‖f − f_lin‖', values: t.map(p => p.linearizationError ?? null)}], {xLabel: 'step t', yLabel: 'error'});
  }
  const url = await blobUrl(`/api/v1/experiments/${v.id}/plot.svg`);
  urls.push(url);
  plots.append(h('figure', {id: 'plot-svg'}, h('figcaption', {}, 'The server\'s SVG (as downloaded)'),
    h('img', {src: url, alt: `Loss, dK(t) and linearisation error of ${v.name} over training`})));
  await hessianStructure(plots, v, urls);
}

/** The Hessian's block norms (heat map) and spectral density (curve and nodes), when measured. */
async function hessianStructure(plots, v, urls) {
  const probes = v.result.hessianInit?.probes || [];
  const svgs = [];
  if (probes.some(p => p.blocks)) {
    svgs.push(['plot-hessian-blocks', `/api/v1/experiments/${v.id}/hessian-blocks.svg`,
      'Hessian block norms ‖H^(l,l′)‖ (mean over probes; log colour scale, grey = exactly 0)',
      `Heat map of the Hessian's layer-block norms of ${v.name} at init and at the end`]);
  }
  if (probes.some(p => p.density)) {
    svgs.push(['plot-hessian-density', `/api/v1/experiments/${v.id}/density.svg`,
      'Spectral density of H(w₀) by stochastic Lanczos quadrature, with its nodes',
      `Spectral density of the Hessian of ${v.name} at init, one curve per probe, quadrature nodes as points`]);
  }
  for (const [id, path, caption, alt] of svgs) {
    const url = await blobUrl(path);
    urls.push(url);
    plots.append(h('figure', {id}, h('figcaption', {}, caption), h('img', {src: url, alt})));
  }
}

/** The loss at every step from losses.csv; the trajectory's records when it is missing. */
async function lossesPerStep(v) {
  try {
    const csv = await getText(`/api/v1/experiments/${v.id}/artifacts/losses.csv`, {accept: 'text/csv'});
    const rows = csv.trim().split('\n').slice(1).map(line => line.split(',').map(Number));
    return {steps: rows.map(r => r[0]), values: rows.map(r => r[1])};
  } catch (e) {
    return {steps: v.result.trajectory.map(p => p.step), values: v.result.trajectory.map(p => p.loss)};
  }
}
