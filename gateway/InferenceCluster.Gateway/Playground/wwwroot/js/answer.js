import { keys } from "./keys.js";
import { createRetryButton, describeWait } from "./retry.js";

// One answer on the page: reasoning (collapsible, above), the streamed answer, and under it the config the
// server really used and the figures of the run. Model text is only ever set as text, never as markup.

const CONFIG_LABELS = [
  ["temperature", "temperature"],
  ["top_p", "top_p"],
  ["top_k", "top_k"],
  ["max_tokens", "max_tokens"],
  ["min_tokens", "min_tokens"],
  ["repetition_penalty", "rep. penalty"],
  ["seed", "seed"],
  ["stop", "stop"],
];

// X-Inference-Cache in words (docs/api.md); "bypass" is an unseeded sampled request, never looked up.
const CACHE_WORDS = { hit: "hit", miss: "miss", partial: "partial", bypass: "not used" };

function show(value) {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map((s) => JSON.stringify(s)).join(" ");
  return String(value);
}

// A max_tokens the server chose is a ceiling the worker lowers to the room the prompt leaves in the context; a
// min_tokens the server chose is a floor it lowers likewise (a floor of 0 has nothing to lower).
function showSetting(config, key) {
  const value = show(config[key]);
  if (key === "max_tokens" && config.max_tokens_fit_to_context) return `up to ${value} (fit to context)`;
  if (key === "min_tokens" && config.min_tokens_fit_to_context && config.min_tokens > 0) return `${value} or less (fit to context)`;
  // Stops too long for the header are counted but not listed: the worker still enforces them.
  if (key === "stop" && config.stop === undefined && config.stop_count > 0) {
    return `${config.stop_count} string${config.stop_count === 1 ? "" : "s"} (too long to list)`;
  }
  return value;
}

function traceUrl(template, traceId) {
  return template ? template.replaceAll("{traceId}", traceId) : null;
}

/**
 * `follow(change)` makes each change that grows the answer; chat mode passes one that keeps the end of the
 * conversation in view. Compare columns pass `reveal(node)` instead, called after each piece of answer text only, as
 * a layout per reasoning piece in every column would slow the page while they all stream.
 */
export function createAnswer(parent, { traceUrlTemplate }, { follow = null, reveal = null } = {}) {
  const node = document.getElementById("answer-template").content.firstElementChild.cloneNode(true);
  const reasoning = node.querySelector(".reasoning");
  const reasoningText = node.querySelector(".reasoning-text");
  const reasoningSize = node.querySelector(".reasoning-size");
  const text = node.querySelector(".answer-text");
  const error = node.querySelector(".answer-error");
  const meta = node.querySelector(".meta");
  const copy = node.querySelector(".copy");
  parent.append(node);
  node.classList.add("streaming");
  let reasoningChars = 0;
  const grow = follow ?? ((change) => change());
  copy.addEventListener("click", () => copyText(text, copy));

  return {
    node,
    get text() { return text.textContent; },
    start({ config, adjustments, traceId }) {
      const list = meta.querySelector(".effective");
      list.replaceChildren();
      if (config) {
        if (!config.do_sample) list.append(pair("decoding", "greedy", "decoding"));
        for (const [key, label] of CONFIG_LABELS) list.append(pair(label, showSetting(config, key), key));
      } else {
        list.append(pair("config", "not reported by the server"));
      }
      if (adjustments) {
        const line = meta.querySelector(".adjustments");
        line.textContent = `Set by the server: ${adjustments}`;
        line.hidden = false;
      }
      node.dataset.traceId = traceId;
      meta.hidden = false;
    },
    identify(id) { node.dataset.completionId = id; },
    reasoning(piece) {
      grow(() => {
        if (reasoning.hidden) { reasoning.hidden = false; reasoning.open = true; }
        // The reasoning box scrolls on its own: it too follows its end unless the reader scrolled up in it.
        const atEnd = reasoningText.scrollHeight - reasoningText.scrollTop - reasoningText.clientHeight < 24;
        reasoningText.textContent += piece;
        reasoningChars += piece.length;
        reasoningSize.textContent = `· ${reasoningChars} characters`;
        if (atEnd) reasoningText.scrollTop = reasoningText.scrollHeight;
      });
    },
    content(piece) {
      grow(() => {
        // The answer has begun: fold the reasoning away so the answer is what one reads.
        if (!text.textContent && !reasoning.hidden) reasoning.open = false;
        text.textContent += piece;
      });
      reveal?.(node);
    },
    finish(result) { grow(() => finished(result)); },
    /** Adds `words` to what the answer already says under it (why it has no answer, that its turn is left out). */
    note(words) {
      if (!words) return;
      grow(() => showError(error.hidden ? words : `${error.textContent} ${words}`));
    },
    /** Whether any answer text came before the stop (reasoning alone is no answer). */
    get answered() { return answered(); },
    /** `partial` is what the stream had brought when it was closed (streamChat's figures so far), if it had begun. */
    stopped(note = "", partial = null) {
      const message = answered() ? "Stopped. Closing the stream made the gateway cancel the generation on its worker."
        : "Stopped before the answer began. Closing the stream made the gateway cancel the generation on its worker.";
      cut(message, "stopped", note, partial);
    },
    /** An answer whose stream the page lost before its end (the page was reloaded): what arrived stays, marked cut. */
    interrupted(note = "") {
      cut("Incomplete: the page was reloaded before this answer ended, which closed its stream.", "cut short", note);
    },
    fail(err, note = "") {
      node.classList.remove("streaming");
      node.classList.add("failed");
      let message = err.param ? `${err.message} (parameter: ${err.param})` : err.message;
      if (err.retryAfter !== null && err.retryAfter !== undefined) message = `${describeWait(err)} ${message}`;
      grow(() => {
        showError(note ? `${message} ${note}` : message);
        if (err.partial) showFigures(err.partial, "error");
      });
    },
    /** A Retry button under the error, pressable once the server's wait is over; returns it, to cancel. */
    offerRetry(seconds, onRetry) {
      const retry = createRetryButton(seconds, onRetry);
      error.after(retry.node);
      return retry;
    },
  };

  function answered() { return /\S/.test(text.textContent); }

  // A stream closed before its end: what arrived stays, and the reasoning read so far is marked `how` it was cut, as it
  // never reached its answer. `partial` is what the stream had brought (streamChat's figures so far), if known.
  function cut(message, how, note, partial = null) {
    node.classList.remove("streaming");
    node.classList.add("stopped");
    copy.hidden = !answered();
    grow(() => {
      if (!reasoning.hidden && !answered()) reasoningSize.textContent = `· ${how} · ${reasoningChars} characters`;
      showError(note ? `${message} ${note}` : message);
      if (partial) showFigures(partial, "stopped");
    });
  }

  function finished(result) {
    node.classList.remove("streaming");
    node.dataset.finishReason = result.finishReason ?? "";
    showFigures(result);
    copy.hidden = !text.textContent;
    // R1 reasons before it answers: a limit reached inside the reasoning leaves no answer at all, which reads as a
    // broken page unless it is said.
    if (/\S/.test(text.textContent)) return;
    node.classList.add("noted");
    if (result.finishReason === "length" && !reasoning.hidden) {
      reasoningSize.textContent = `· cut by max_tokens · ${reasoningChars} characters`;
      showError("The token limit ended the answer while the model was still reasoning: raise Max tokens for an answer.");
    } else {
      showError(`The model ended (${result.finishReason ?? "no finish reason"}) without writing an answer.`);
    }
  }

  // The figures of a run. A stopped or cut run has no usage (it comes with the end): it shows what arrived instead.
  function showFigures(result, ended = null) {
    const figures = meta.querySelector(".figures");
    figures.replaceChildren();
    const usage = result.usage;
    const tokens = usage?.completion_tokens;
    const fromCache = result.cache === "hit";
    // Tokens after the first over the time they took to arrive. A cached answer is replayed whole, and a worker sends
    // what it has every 20 ms, so a short answer of a fast model arrives in one or two goes: a rate from either would
    // be a figure of the network, not of the model (45000 tok/s for two pieces a millisecond apart).
    const decodeMs = result.lastTokenMs - result.firstTokenMs;
    const measured = !fromCache && result.arrivals >= 3 && tokens > 1 && decodeMs > 0;
    const rate = measured ? ((tokens - 1) * 1000) / decodeMs : null;
    const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens;
    figures.append(
      figure("tokens", tokens !== undefined ? `${tokens}${reasoningTokens ? ` (${reasoningTokens} reasoning)` : ""}` : ended ? "not counted" : "?", "tokens"),
      ...(ended ? [figure("received", `${result.characters} characters`, "received")] : []),
      figure("prompt", usage?.prompt_tokens ?? "?", "prompt"),
      figure("first token", result.firstTokenMs !== null ? `${Math.round(result.firstTokenMs)} ms` : "none", "ttft"),
      figure("time", result.totalMs !== null ? seconds(result.totalMs) : "?", "time"),
      figure("speed", rate !== null ? `${rate.toFixed(1)} tok/s` : fromCache ? "— (from the cache)" : result.arrivals < 3 && !ended ? "— (arrived at once)" : "?", "rate"),
      ...(result.cache ? [figure("cache", CACHE_WORDS[result.cache] ?? result.cache, "cache")] : []),
      figure("finish", ended ?? result.finishReason ?? "?", "finish"),
    );
    const url = traceUrl(traceUrlTemplate, result.traceId);
    if (url) {
      const link = Object.assign(document.createElement("a"), { href: url, target: "_blank", rel: "noopener noreferrer", className: "trace-link", textContent: "trace ↗" });
      figures.append(link);
    }
    meta.hidden = false;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }
}

// The answer alone, without its reasoning. Outside a secure context (plain http to another host) the browser
// has no clipboard API: the text is selected instead, for the copy keys of the reader's system (⌘C on a Mac).
// The button's name says what happened too, not only its label: a screen reader read "Copy answer" either way.
// A second click within the two seconds starts them again.
const copyResets = new WeakMap();

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text.textContent);
    label(button, "Copied", "Answer copied");
  } catch {
    getSelection().selectAllChildren(text);
    label(button, `Selected: press ${keys.copy}`, `Answer selected: press ${keys.copy} to copy it`);
  }
  clearTimeout(copyResets.get(button));
  copyResets.set(button, setTimeout(() => label(button, "Copy", "Copy answer"), 2000));
}

function label(button, text, name) {
  button.textContent = text;
  button.setAttribute("aria-label", name);
}

function pair(label, value, key) {
  const wrapper = document.createElement("div");
  if (key) wrapper.dataset.key = key;
  const term = Object.assign(document.createElement("dt"), { textContent: label });
  const detail = Object.assign(document.createElement("dd"), { textContent: value });
  wrapper.append(term, detail);
  return wrapper;
}

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function figure(label, value, key) {
  const span = document.createElement("span");
  span.className = "figure";
  if (key) span.dataset.key = key;
  span.append(Object.assign(document.createElement("small"), { textContent: label }), " ", Object.assign(document.createElement("b"), { textContent: String(value) }));
  return span;
}
