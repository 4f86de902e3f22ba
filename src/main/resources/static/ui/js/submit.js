// Submit a preset of the paper (optionally reduced) or one experiment; the API's problem details
// are shown as they come, each field's message beside its input.
import {getJson, postJson} from './api.js';
import {announce, fill, h} from './dom.js';
import {problemBox} from './problem.js';

export async function render(main) {
  const presets = await getJson('/api/v1/presets');
  fill(main, h('h1', {}, 'Submit'),
    h('p', {class: 'hint'}, 'Run one of the paper\'s experiments as a sweep, or a single experiment of your own. '
      + 'Empty fields take the service\'s defaults.'),
    presetForm(presets), experimentForm());
}

const list = text => text.split(/[\s,;]+/).filter(Boolean);

/** The API's answer to a submission, or its problem in the form's alert region. */
async function send(path, body, region, form) {
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach(el => el.remove());
  fill(region);
  try {
    return await postJson(path, body);
  } catch (error) {
    fill(region, problemBox(error, error.problem?.title));
    for (const e of error.problem?.errors || []) markField(form, e);
    region.querySelector('[role="alert"]')?.setAttribute('tabindex', '-1');
    region.querySelector('[role="alert"]')?.focus();
    return null;
  }
}

/** Puts a field's message beside the input whose data-path is the longest prefix of its path. */
function markField(form, e) {
  const path = (e.field || '').replace(/^grid\./, '').replace(/^base\./, '');
  const inputs = [...form.querySelectorAll('[data-path]')]
    .filter(el => path === el.dataset.path || path.startsWith(`${el.dataset.path}[`) || path.startsWith(`${el.dataset.path}.`))
    .sort((a, b) => b.dataset.path.length - a.dataset.path.length);
  const input = inputs[0];
  if (!input) return;
  input.setAttribute('aria-invalid', 'true');
  const id = `${input.id}-error`;
  const existing = document.getElementById(id);
  const message = `${e.field}: ${e.message}`;
  if (existing) {
    existing.textContent += `; ${message}`;
    return;
  }
  input.closest('.field').append(h('p', {class: 'field-error', id}, message));
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

function field(id, label, input, hint) {
  const hintId = hint ? `${id}-hint` : null;
  input.id = id;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', {class: 'field'}, h('label', {for: id}, label), input, hint ? h('p', {class: 'hint', id: hintId}, hint) : null);
}

function gridSize(definition) {
  return Object.values(definition.grid || {}).reduce((n, values) => n * values.length, 1);
}

function scaleText(p, scale) {
  const d = p[scale];
  const widths = d.grid['network.hiddenWidths'];
  const w = widths ? widths.map(x => `[${x.join(', ')}]`).join(' ') : `[${d.base.network.hiddenWidths.join(', ')}]`;
  return `${gridSize(d)} experiments of ${d.base.training.steps} steps; widths ${w}`;
}

function presetForm(presets) {
  const region = h('div', {id: 'preset-problem'});
  const description = h('p', {id: 'preset-description', class: 'notice', 'aria-live': 'polite'});
  const choices = presets.map((p, i) => h('div', {class: 'choice'},
    h('input', {type: 'radio', name: 'preset', id: `preset-${p.name}`, value: p.name, checked: i === 0}),
    h('label', {for: `preset-${p.name}`}, `${p.name} — ${p.reproduces}`)));
  const scales = ['quick', 'paper'].map((s, i) => h('div', {class: 'choice'},
    h('input', {type: 'radio', name: 'scale', id: `scale-${s}`, value: s, checked: i === 0}),
    h('label', {for: `scale-${s}`}, s)));
  const steps = h('input', {type: 'number', min: 0, step: 1, name: 'steps', inputmode: 'numeric', 'data-path': 'training.steps'});
  const widths = h('input', {type: 'text', name: 'widths', 'data-path': 'network.hiddenWidths', placeholder: 'e.g. 100, 316, 1000'});
  const seeds = h('input', {type: 'text', name: 'seeds', 'data-path': 'seed', placeholder: 'e.g. 1, 2'});
  const name = h('input', {type: 'text', name: 'name', 'data-path': 'name'});
  const hessianAt = select('hessianAt', 'measurements.hessianAt', ['init', 'init-and-end', 'every-record']);
  const form = h('form', {id: 'preset-form', novalidate: true, 'aria-labelledby': 'preset-title'},
    h('h2', {id: 'preset-title'}, 'A preset of the paper'),
    h('fieldset', {}, h('legend', {}, 'Preset'), choices, description),
    h('fieldset', {}, h('legend', {}, 'Scale'), scales, h('p', {class: 'hint', id: 'scale-description'})),
    h('fieldset', {}, h('legend', {}, 'Reduce it (optional)'), h('div', {class: 'grid'},
      field('preset-steps', 'Training steps', steps, 'replaces every experiment\'s steps'),
      field('preset-widths', 'Hidden widths m', widths, 'comma-separated; or a JSON list of width lists such as [[1000, 3, 1000]]'),
      field('preset-seeds', 'Seeds', seeds, 'comma-separated'),
      field('preset-hessian-at', '‖H‖ measured at', hessianAt, 'default: the preset\'s'),
      field('preset-name', 'Name', name, 'default: the preset\'s'))),
    region,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'preset-submit'}, 'Run the preset')));

  const selected = () => presets.find(p => p.name === form.elements.preset.value) || presets[0];
  const describe = () => {
    const p = selected();
    const scale = form.elements.scale.value;
    description.textContent = p.description;
    form.querySelector('#scale-description').textContent = `${scale}: ${scaleText(p, scale)}.`;
  };
  form.addEventListener('change', describe);
  describe();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = {preset: form.elements.preset.value, scale: form.elements.scale.value};
    const base = {};
    const grid = {};
    if (steps.value.trim() !== '') base.training = {steps: Number(steps.value)};
    if (hessianAt.value) base.measurements = {hessianAt: hessianAt.value};
    if (widths.value.trim()) {
      const text = widths.value.trim();
      grid['network.hiddenWidths'] = text.startsWith('[') ? parseJson(text, widths) : list(text).map(m => [Number(m)]);
    }
    if (seeds.value.trim()) grid.seed = list(seeds.value).map(Number);
    if (Object.keys(base).length) body.base = base;
    if (Object.keys(grid).length) body.grid = grid;
    if (name.value.trim()) body.name = name.value.trim();
    const answer = await send('/api/v1/sweeps', body, region, form);
    if (answer) {
      announce(`Sweep ${answer.body.name} queued`);
      location.hash = `#/sweeps/${answer.body.id}`;
    }
  });
  return form;
}

function parseJson(text, input) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return text; // the API explains what it expected
  }
}

const select = (name, path, values, chosen) => h('select', {name, 'data-path': path},
  h('option', {value: ''}, 'default'), values.map(v => h('option', {value: v, selected: v === chosen}, v)));

function experimentForm() {
  const region = h('div', {id: 'experiment-problem'});
  const input = (name, path, attrs = {}) => h('input', {type: 'text', name, 'data-path': path, ...attrs});
  const number = (name, path, attrs = {}) => input(name, path, {inputmode: 'decimal', ...attrs});
  const f = {
    name: input('name', 'name'),
    tags: input('tags', 'tags', {placeholder: 'key=value, key=value'}),
    seed: number('seed', 'seed'),
    widths: input('widths', 'network.hiddenWidths', {placeholder: '256'}),
    activation: select('activation', 'network.activation', ['identity', 'tanh', 'sigmoid', 'swish', 'softplus', 'gelu', 'erf', 'relu']),
    outputMap: select('outputMap', 'network.outputMap', ['linear', 'swish', 'sigmoid', 'tanh', 'softmax']),
    outputDim: number('outputDim', 'network.outputDim'),
    parameterization: select('parameterization', 'network.parameterization', ['ntk', 'standard']),
    generator: select('generator', 'data.generator', ['sphere', 'line', 'gaussian-mixture']),
    n: number('n', 'data.n'),
    inputDim: number('inputDim', 'data.inputDim'),
    steps: number('steps', 'training.steps'),
    eta: number('eta', 'training.learningRate', {placeholder: '0.5'}),
    kernelEvery: number('kernelEvery', 'measurements.kernelEvery'),
    hessianAt: select('hessianAt', 'measurements.hessianAt', ['init', 'init-and-end', 'every-record']),
  };
  const form = h('form', {id: 'experiment-form', novalidate: true, 'aria-labelledby': 'experiment-title'},
    h('h2', {id: 'experiment-title'}, 'One experiment'),
    h('fieldset', {}, h('legend', {}, 'Labels'), h('div', {class: 'grid'},
      field('exp-name', 'Name', f.name), field('exp-tags', 'Tags', f.tags, 'key=value pairs, comma-separated'),
      field('exp-seed', 'Seed', f.seed, 'weights, data and Lanczos start vectors'))),
    h('fieldset', {}, h('legend', {}, 'Network'), h('div', {class: 'grid'},
      field('exp-widths', 'Hidden widths', f.widths, 'm₁, …, m_L comma-separated, e.g. 1000 or 1000, 5, 1000'),
      field('exp-activation', 'Activation σ', f.activation), field('exp-output-map', 'Output map φ', f.outputMap),
      field('exp-output-dim', 'Outputs c', f.outputDim), field('exp-parameterization', 'Parameterization', f.parameterization))),
    h('fieldset', {}, h('legend', {}, 'Data'), h('div', {class: 'grid'},
      field('exp-generator', 'Generator', f.generator), field('exp-n', 'Examples n', f.n),
      field('exp-input-dim', 'Input dimension d', f.inputDim))),
    h('fieldset', {}, h('legend', {}, 'Training and measurements'), h('div', {class: 'grid'},
      field('exp-steps', 'Steps', f.steps), field('exp-eta', 'Learning rate factor η', f.eta, 'lr = η n / λ_max(K(w₀))'),
      field('exp-kernel-every', 'Record the kernel every … steps', f.kernelEvery),
      field('exp-hessian-at', '‖H‖ measured at', f.hessianAt))),
    region,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'experiment-submit'}, 'Run the experiment')));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const spec = {};
    const put = (path, value) => {
      const keys = path.split('.');
      let o = spec;
      keys.slice(0, -1).forEach(k => { o = o[k] ??= {}; });
      o[keys.at(-1)] = value;
    };
    const numeric = text => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : text.trim());
    if (f.name.value.trim()) put('name', f.name.value.trim());
    if (f.tags.value.trim()) {
      put('tags', Object.fromEntries(f.tags.value.split(',').map(t => t.trim()).filter(Boolean).map(t => {
        const i = t.indexOf('=');
        return i < 0 ? [t, ''] : [t.slice(0, i).trim(), t.slice(i + 1).trim()];
      })));
    }
    if (f.seed.value.trim()) put('seed', numeric(f.seed.value));
    if (f.widths.value.trim()) put('network.hiddenWidths', list(f.widths.value).map(numeric));
    for (const [key, path] of [['activation', 'network.activation'], ['outputMap', 'network.outputMap'],
      ['parameterization', 'network.parameterization'], ['generator', 'data.generator'], ['hessianAt', 'measurements.hessianAt']]) {
      if (f[key].value) put(path, f[key].value);
    }
    for (const [key, path] of [['outputDim', 'network.outputDim'], ['n', 'data.n'], ['inputDim', 'data.inputDim'],
      ['steps', 'training.steps'], ['kernelEvery', 'measurements.kernelEvery']]) {
      if (f[key].value.trim()) put(path, numeric(f[key].value));
    }
    if (f.eta.value.trim()) put('training.learningRate', {auto: numeric(f.eta.value)});
    const answer = await send('/api/v1/experiments', spec, region, form);
    if (answer) {
      announce(`Experiment ${answer.body.name} queued`);
      location.hash = `#/experiments/${answer.body.id}`;
    }
  });
  return form;
}
