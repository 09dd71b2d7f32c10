// Compare mode scrolls the page itself (chat scrolls its message list): while the reader is at the end, answers that
// grow below the screen are followed down; scrolling up to read stops that until the reader comes back to the end.
//
// Only the reader's own gestures stop it, never where the page happens to be when an answer grows: between two
// answer pieces the page also grows by what is not followed (reasoning, another column's figures), and taking "not at
// the end just now" for "the reader left" stopped the following on its own. Nor does an upward move the reader did
// not make: the browser's clamp when the page grows shorter, or its scroll anchoring when a column's reasoning folds
// away above the text in view.

const END_SLACK = 32;

function atEnd() {
  return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - END_SLACK;
}

export function createPageFollow() {
  let following = true;
  let lastY = window.scrollY;
  let touchY = null;
  let pressed = false;
  // A gesture that can move the page up: at its top it cannot, and over a reasoning box that scrolls the box moves
  // (at the box's own top the page moves, and the scroll event tells).
  const leave = (event) => {
    if (window.scrollY > 0 && !event.target.closest?.(".reasoning-text")) following = false;
  };

  window.addEventListener("scroll", () => {
    if (atEnd()) following = true;
    // Dragging the scroll bar, or middle-click scrolling: a button is held while the page moves up.
    else if (pressed && window.scrollY < lastY - 1) following = false;
    lastY = window.scrollY;
  }, { passive: true });
  window.addEventListener("pointerdown", () => { pressed = true; });
  window.addEventListener("pointerup", () => { pressed = false; });
  window.addEventListener("pointercancel", () => { pressed = false; });
  // The wheel, a finger and the keys stop it at once: their scroll event comes a frame later, and a piece arriving
  // in between would pull the page back down from under the reader's hand.
  window.addEventListener("wheel", (event) => { if (event.deltaY < 0) leave(event); }, { passive: true });
  window.addEventListener("touchstart", (event) => { touchY = event.touches[0]?.clientY ?? null; }, { passive: true });
  window.addEventListener("touchmove", (event) => {
    const y = event.touches[0]?.clientY;
    if (touchY !== null && y !== undefined && y > touchY) leave(event);
  }, { passive: true });
  document.addEventListener("keydown", (event) => {
    const up = ["PageUp", "ArrowUp", "Home"].includes(event.key) || (event.key === " " && event.shiftKey);
    if (up && !event.target.closest?.("textarea, input, select, summary, button")) leave(event);
  });

  return {
    /** A new run: the reader asked for it, so its answers are followed again. */
    restart() { following = true; },
    /** After a piece of `node`'s answer: downwards only, and only while following. */
    reveal(node) {
      if (following && node.getBoundingClientRect().bottom > window.innerHeight) node.scrollIntoView({ block: "end" });
    },
  };
}
