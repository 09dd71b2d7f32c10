// "Not now, try again in N s" (429 or 503 with Retry-After): what the page says, and a Retry button that can be
// pressed once the wait is over. The page never retries by itself: a busy server gets no request it was not asked for.

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); null without one. */
export function retryAfterSeconds(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The wait in words, ahead of the server's own message; `then` is what happens after it. */
export function describeWait(err, then = "try again") {
  const who = err.code === "rate_limit_exceeded" ? "This API key's request limit is reached" : "The server is busy";
  return err.retryAfter > 0 ? `${who}; ${then} in ${err.retryAfter} s.` : `${who}; ${then} now.`;
}

/**
 * A button that counts the wait down and then sends again through `onRetry`. Its label changes, never the alert
 * above it, so a screen reader announces the refusal once rather than every second.
 */
export function createRetryButton(seconds, onRetry) {
  const button = Object.assign(document.createElement("button"), { type: "button", className: "retry ghost", disabled: true });
  const until = Date.now() + seconds * 1000;
  let timer = null;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      button.textContent = `Retry in ${left} s`;
      return;
    }
    clearInterval(timer);
    button.disabled = false;
    button.textContent = "Retry";
  };
  tick();
  if (button.disabled) timer = setInterval(tick, 250);
  button.addEventListener("click", () => {
    cancel();
    onRetry();
  });
  function cancel() {
    clearInterval(timer);
    button.remove();
  }
  return { node: button, cancel };
}
