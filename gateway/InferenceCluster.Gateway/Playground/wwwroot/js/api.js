import { retryAfterSeconds } from "./retry.js";
import { readItem, storageArea, writeItem } from "./storage.js";

// Talks to the gateway's OpenAI-compatible API: one streamed chat completion per call, with the caller's
// own settings, its own abort signal and its own trace id. Nothing here is shared between calls.

const KEY_STORAGE = "inference-cluster.api-key";
// The box's state on this device, apart from the key: emptying the field forgets the key but leaves the box ticked.
const REMEMBER_MARK = "inference-cluster.api-key.remembered";

// The key lasts as long as the tab (session storage: gone with the tab, never seen by another tab or by another user
// of the machine) unless the reader asks this device to remember it (local storage). A key found in local storage was
// put there by its owner's choice (or by an earlier page that kept every key there): it stays remembered.
// A browser that blocks this site's storage keeps nothing (storage.js): the key then lasts as long as the page.
function read(remembered, item = KEY_STORAGE) {
  return readItem(storageArea(remembered), item);
}

// Where it cannot be kept, the field still holds the key for this page.
function write(remembered, key, item = KEY_STORAGE) {
  writeItem(storageArea(remembered), item, key);
}

function mark(remembered) {
  write(true, remembered ? "1" : "", REMEMBER_MARK);
}

/** The kept key, and whether it is remembered on this device rather than kept for this tab. */
export function loadKey() {
  const remembered = read(true);
  if (remembered) {
    // A key an earlier page remembered has no mark: it gets one, so that other tabs see the box cleared as such.
    if (!read(true, REMEMBER_MARK)) mark(true);
    return { key: remembered, remembered: true };
  }
  const own = read(false);
  return { key: own, remembered: !own && read(true, REMEMBER_MARK) !== "" };
}

/** Keeps `key` where the box says: on this device when `remembered`, else for this tab. An empty key is forgotten. */
export function saveKey(key, remembered) {
  write(remembered, key);
}

/**
 * The box changed in this tab: the key moves to the place it names and leaves the other. Only the reader's own change
 * of the box clears a place: a key edit in a tab whose box is stale would take off the device a key another tab chose
 * to remember. The mark changes after the key when ticked and before it when cleared, so that other tabs never read
 * the key leaving a ticked device (a forget) when the box is what was cleared.
 */
export function moveKey(key, remembered) {
  if (remembered) {
    write(true, key);
    mark(true);
    write(false, "");
  } else {
    mark(false);
    write(true, "");
    write(false, key);
  }
}

/**
 * Follows what other tabs do on this device: `boxChanged(remembered, key)` when one ticks or clears the box (`key` is
 * the key the device remembers then), `keyEdited(key)` when one edits the remembered key ("" once it is forgotten,
 * the box still ticked).
 */
export function onDeviceChange({ boxChanged, keyEdited }) {
  window.addEventListener("storage", (event) => {
    if (event.storageArea !== storageArea(true)) return;
    // A null key is a clear() of the whole storage: the box is cleared.
    if (event.key === null) boxChanged(false, "");
    else if (event.key === REMEMBER_MARK) boxChanged(event.newValue !== null, read(true));
    else if (event.key === KEY_STORAGE) keyEdited(event.newValue ?? "");
  });
}

function headers(key, extra = {}) {
  const all = { ...extra };
  if (key) all.Authorization = `Bearer ${key}`;
  return all;
}

function randomHex(bytes) {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
}

// A W3C trace context of our own: the gateway continues this trace, so the page knows the trace id to link to.
function newTraceContext() {
  const traceId = randomHex(16);
  return { traceId, traceparent: `00-${traceId}-${randomHex(8)}-01` };
}

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    const error = body?.error ?? {};
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.param = error.param ?? null;
    this.code = error.code ?? null;
    /** Seconds the server asked to wait before sending again (429 and 503 only), or null. */
    this.retryAfter = retryAfter;
  }
}

// fetch rejects with a bare TypeError ("Failed to fetch") when no answer came at all: say what that means.
async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, { error: { message: `Could not reach the gateway (${err.message}). Check that it runs and the network is up, then send again.` } });
  }
}

async function errorFrom(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: the status says enough */ }
  const wait = response.status === 429 || response.status === 503 ? retryAfterSeconds(response.headers.get("Retry-After")) : null;
  return new ApiError(response.status, body, wait);
}

export async function getSettings() {
  const response = await send("playground/config.json", { cache: "no-store" });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

export async function listModels(key) {
  const response = await send("v1/models", { headers: headers(key), cache: "no-store" });
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()).data.map((model) => model.id);
}

function cutShort(reason) {
  return new ApiError(0, { error: { message: `The stream ended before the answer was complete (${reason}). Send again to retry.` } });
}

function parseEvent(data) {
  try {
    return JSON.parse(data);
  } catch (err) {
    throw new ApiError(0, { error: { message: `The stream held an event that is not JSON (${err.message}): something between the page and the gateway changed it. Send again to retry.` } });
  }
}

// Reads a server-sent event stream and hands each JSON payload to onData until [DONE]. A stream that ends
// without [DONE] was cut (a proxy or the gateway went away): what arrived is not the whole answer.
async function readEvents(body, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    let next;
    try {
      next = await reader.read();
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw cutShort(err.message);
    }
    const { value, done } = next;
    if (done) throw cutShort("the connection closed without its end");
    buffered += value;
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
      if (data === "[DONE]") return;
      if (data) onData(parseEvent(data));
    }
  }
}

const ARRIVAL_GAP_MS = 2;

function parseConfig(header) {
  if (!header) return null;
  try { return JSON.parse(header); } catch { return null; }
}

/**
 * Streams one chat completion. `on` receives start({config, adjustments, traceId}), reasoning(text),
 * content(text); the result carries usage, finish reason and timings. Aborting `signal` closes the
 * connection, which makes the gateway cancel the generation on its worker.
 */
export async function streamChat({ model, messages, settings, key, signal, on }) {
  const trace = newTraceContext();
  const started = performance.now();
  const body = { model, messages, ...settings, stream: true, stream_options: { include_usage: true } };
  const response = await send("v1/chat/completions", {
    method: "POST",
    headers: headers(key, { "Content-Type": "application/json", traceparent: trace.traceparent }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorFrom(response);

  // X-Inference-Cache: "hit" is an answer replayed whole from the cache (docs/api.md); a model another server
  // answers through a route has no such header.
  const result = { id: null, finishReason: null, usage: null, firstTokenMs: null, lastTokenMs: null, totalMs: null, characters: 0, arrivals: 0,
    cache: response.headers.get("X-Inference-Cache"), traceId: trace.traceId };
  on.start?.({
    config: parseConfig(response.headers.get("X-Inference-Config")),
    adjustments: response.headers.get("X-Inference-Adjustments"),
    traceId: trace.traceId,
  });
  try {
    await readEvents(response.body, (chunk) => {
      if (chunk.error) throw new ApiError(500, chunk);
      if (!result.id && chunk.id) {
        result.id = chunk.id;
        on.identify?.(chunk.id);
      }
      if (chunk.usage) result.usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta ?? {};
        if (delta.reasoning_content || delta.content) {
          const now = performance.now() - started;
          // Events read together arrived together: only text some milliseconds after the last is a new arrival.
          if (result.lastTokenMs === null || now - result.lastTokenMs > ARRIVAL_GAP_MS) result.arrivals++;
          result.lastTokenMs = now;
          result.firstTokenMs ??= now;
          result.characters += (delta.reasoning_content?.length ?? 0) + (delta.content?.length ?? 0);
          if (delta.reasoning_content) on.reasoning?.(delta.reasoning_content);
          if (delta.content) on.content?.(delta.content);
        }
        if (choice.finish_reason) result.finishReason = choice.finish_reason;
      }
    });
  } catch (err) {
    // A stopped or cut stream still has figures: what arrived, and when.
    result.totalMs = performance.now() - started;
    err.partial = result;
    throw err;
  }
  result.totalMs = performance.now() - started;
  return result;
}
