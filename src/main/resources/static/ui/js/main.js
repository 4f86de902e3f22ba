// The dashboard's shell: routes by the URL's hash, asks for the API key when the service says 401/403.
import {ApiError, apiKey, onUnauthorized, setApiKey} from './api.js';
import {announce, fill, h} from './dom.js';
import {problemBox} from './problem.js';
import * as jobs from './jobs.js';
import * as experiment from './experiment.js';
import * as sweep from './sweep.js';
import * as submit from './submit.js';

const main = document.getElementById('main');
const dialog = document.getElementById('key-dialog');
const keyInput = document.getElementById('key-input');
const keyProblem = document.getElementById('key-problem');
let dispose = () => {};
let generation = 0;

const routes = [
  [/^#?\/?(jobs)?$/, 'jobs', () => jobs],
  [/^#\/experiments\/([0-9a-f-]{36})$/i, 'jobs', () => experiment],
  [/^#\/sweeps\/([0-9a-f-]{36})$/i, 'jobs', () => sweep],
  [/^#\/submit$/, 'submit', () => submit],
];

function parse(hash) {
  const [path, query = ''] = hash.split('?');
  return {path, query: new URLSearchParams(query)};
}

async function route() {
  const mine = ++generation;
  updateKeyButton();
  dispose();
  dispose = () => {};
  const {path, query} = parse(location.hash || '#/jobs');
  const match = routes.map(([re, nav, page]) => [path.match(re), nav, page]).find(([m]) => m);
  document.querySelectorAll('[data-nav]').forEach(a => a.removeAttribute('aria-current'));
  if (!match) {
    fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, path), '. ', h('a', {href: '#/jobs'}, 'Jobs')));
    return;
  }
  const [m, nav, page] = match;
  document.querySelector(`[data-nav="${nav}"]`)?.setAttribute('aria-current', 'page');
  fill(main, h('p', {}, 'Loading…'));
  try {
    const d = await page().render(main, {id: m[1], query});
    if (mine === generation) dispose = d || (() => {});
    else if (d) d();
  } catch (error) {
    if (mine !== generation) return;
    fill(main, h('h1', {}, 'Could not load this page'), problemBox(error),
      error instanceof ApiError && error.unauthorized
        ? h('p', {}, h('button', {type: 'button', onclick: () => askForKey(error)}, 'Enter an API key'))
        : h('p', {}, h('button', {type: 'button', onclick: route}, 'Try again')));
  }
  document.title = `${main.querySelector('h1')?.textContent || 'ntklab'} · ntklab`;
}

/** Opens the key form, showing why it is asked for. */
export function askForKey(error) {
  if (error) {
    fill(keyProblem, problemBox(error, error.status === 403 ? 'This key may not do that' : 'An API key is needed'));
    keyProblem.hidden = false;
  } else {
    keyProblem.hidden = true;
  }
  if (!dialog.open) {
    keyInput.value = apiKey() || '';
    dialog.showModal();
    keyInput.focus();
  }
}

dialog.addEventListener('close', () => {
  const action = dialog.returnValue;
  dialog.returnValue = '';
  if (action === 'save') {
    setApiKey(keyInput.value.trim() || null);
    announce('API key saved for this session');
    route();
  } else if (action === 'clear') {
    setApiKey(null);
    keyInput.value = '';
    announce('API key forgotten');
    route();
  }
  updateKeyButton();
});

function updateKeyButton() {
  document.getElementById('key-button').textContent = apiKey() ? 'API key ✓' : 'API key';
}

onUnauthorized(error => askForKey(error));
// the skip link must not change the hash, which names the page
document.querySelector('.skip-link').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
document.getElementById('key-button').addEventListener('click', () => askForKey(null));
window.addEventListener('hashchange', () => {
  route().then(() => main.focus({preventScroll: false}));
});
updateKeyButton();
route();

export {route};
