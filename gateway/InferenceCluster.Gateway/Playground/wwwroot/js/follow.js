// Compare mode scrolls the page itself (chat scrolls its message list): while the reader is at the end, answers that
// grow below the screen are followed down; scrolling up to read stops that until the reader comes back to the end.
//
// Not where the page happens to be when an answer grows decides it: between two answer pieces the page also grows by
// what is not followed (reasoning, another column's figures), and taking "not at the end just now" for "the reader
// left" stopped the following on its own. A move up that leaves the end does: the page itself only ever moves down,
// so any such move is the reader's, with a gesture the page sees (the wheel, a finger, the keys, the scroll bar) or
// without one (find in page jumping to a match above, Tab or a screen reader bringing a control above into view). The
// browser moves the page up on its own only by clamping it when the page grows shorter, which leaves it at the end,
// and by scroll anchoring (a column's reasoning folding away above the text in view), which is off while the page
// follows a run.

const END_SLACK = 32;

function atEnd() {
  return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - END_SLACK;
}

export function createPageFollow() {
  let following = true;
  let running = false;
  let lastY = window.scrollY;
  let touchY = null;
  const follow = (on) => {
    following = on;
    document.documentElement.classList.toggle("following", following && running);
  };
  // A gesture that can move the page up: at its top it cannot, and over a reasoning box that scrolls the box moves
  // (at the box's own top the page moves, and the scroll event tells).
  const leave = (event) => {
    if (window.scrollY > 0 && !event.target.closest?.(".reasoning-text")) follow(false);
  };

  // Where the reader is now: back at the end the page follows again; above where the page last was, the reader
  // moved up.
  const look = () => {
    if (atEnd()) follow(true);
    else if (window.scrollY < lastY - 1) follow(false);
    lastY = window.scrollY;
  };
  window.addEventListener("scroll", look, { passive: true });
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
    restart() { running = true; follow(true); },
    /** The run is over: nothing grows to be followed, and the browser keeps the text in view as it likes. */
    end() { running = false; follow(following); },
    /** After a piece of `node`'s answer: downwards only, and only while following. */
    reveal(node) {
      // A move up without a gesture (find in page, a script) is heard only at the next scroll event, a frame later: a
      // piece arriving in between would pull the page back down once. Where the page stands now says it already.
      look();
      if (following && node.getBoundingClientRect().bottom > window.innerHeight) node.scrollIntoView({ block: "end" });
      lastY = window.scrollY;
    },
  };
}
