// The service's API, with the session's API key on every request, problem details as errors and
// server-sent events read through fetch() (EventSource cannot send an Authorization header).

const KEY = 'ntklab.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/** An answer other than 2xx; problem is the RFC 9457 body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {status, title: `HTTP ${status}`};
  }

  get unauthorized() {
    return this.status === 401 || this.status === 403;
  }
}

const listeners = new Set();

/** f(error) is called for every 401 or 403, before the error is thrown. */
export function onUnauthorized(f) {
  listeners.add(f);
}

function headers(extra = {}) {
  const h = {Accept: 'application/json, application/problem+json', ...extra};
  const key = apiKey();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

/** fetch() with the key; resolves to the Response when 2xx, else throws ApiError. */
export async function request(path, {method = 'GET', body, accept, signal} = {}) {
  const extra = {};
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (accept) extra.Accept = accept;
  const response = await fetch(path, {method, headers: headers(extra), signal, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body)});
  if (!response.ok) {
    let problem = null;
    try {
      const text = await response.text();
      problem = text ? JSON.parse(text) : null;
    } catch (e) {
      problem = null;
    }
    const error = new ApiError(response.status, problem);
    if (error.unauthorized) listeners.forEach(f => f(error));
    throw error;
  }
  return response;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

export async function postJson(path, body, options = {}) {
  const response = await request(path, {...options, method: 'POST', body});
  const text = await response.text();
  return {status: response.status, location: response.headers.get('Location'), body: text ? JSON.parse(text) : null};
}

export async function getText(path, options) {
  return (await request(path, options)).text();
}

/** A Blob URL of an authorised GET (for <img> and downloads); revoke it when done. */
export async function blobUrl(path, options) {
  const blob = await (await request(path, {accept: '*/*', ...options})).blob();
  return URL.createObjectURL(blob);
}

/** Downloads path as a file named name, with the key sent. */
export async function download(path, name) {
  const url = await blobUrl(path);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Follows a server-sent event stream: onEvent(name, data) for each event (data parsed as JSON).
 * Resolves when the stream ends; rejects with ApiError or a network error. Abort with signal.
 */
export async function events(path, onEvent, signal) {
  const response = await request(path, {accept: 'text/event-stream', signal});
  if (!response.body || typeof TextDecoderStream === 'undefined') {
    throw new Error('streaming responses are not supported here');
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatch(block, onEvent);
    }
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const text = data.join('\n');
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // not JSON: hand over the text
  }
  onEvent(name, parsed);
}

/**
 * Follows one experiment: onProgress({status, step, steps, fraction}, source) while it runs and
 * onEnd(view) once it has ended, from its event stream (source "stream"), or by polling every 2 s
 * when the stream cannot be read (source "poll"). Returns a function that stops following.
 */
export function followExperiment(id, onProgress, onEnd) {
  const controller = new AbortController();
  let ended = false;
  const finish = view => {
    if (!ended) {
      ended = true;
      onEnd(view);
    }
  };
  const poll = async () => {
    while (!controller.signal.aborted && !ended) {
      try {
        const view = await getJson(`/api/v1/experiments/${id}`, {signal: controller.signal});
        onProgress({id, status: view.status, ...view.progress}, 'poll');
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(view.status)) finish(view);
      } catch (e) {
        if (controller.signal.aborted || (e instanceof ApiError)) return;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  };
  events(`/api/v1/experiments/${id}/events`, (name, data) => {
    if (name === 'progress') onProgress(data, 'stream');
    else if (name === 'state') finish(data);
  }, controller.signal).then(() => {
    if (!ended && !controller.signal.aborted) poll();
  }, error => {
    if (!controller.signal.aborted && !(error instanceof ApiError && error.unauthorized)) poll();
  });
  return () => controller.abort();
}

export function isTerminal(status) {
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED';
}
