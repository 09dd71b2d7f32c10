// What a mode keeps for this tab across a reload: what it shows, and the words typed in its box but not sent. Session
// storage is the tab's alone (another tab or another user of the machine never sees it) and goes with the tab.
import { readItem, storageArea, writeItem } from "./storage.js";

// Storage full: what is shown still holds for this page. What was kept before is dropped, so that a reload never shows
// an older state as if it were the last one (an older conversation, and its shorter history).
function write(name, value) {
  const tab = storageArea(false);
  if (!writeItem(tab, name, value)) writeItem(tab, name, "");
}

/**
 * Keeps `snapshot()` (null for nothing) under `name` and `box`'s unsent words under `draft`, whenever `save()` is
 * called and as the page goes away: a reload, a closed tab, a phone putting the page away. What streams then is kept
 * as far as it came; once the page is going away nothing more is kept, so that a stream closed by the unload never
 * reads as stopped by hand, or failed. The unsent words are kept then too, not at each key: a page is reloaded or
 * closed only after beforeunload or pagehide, and a phone discards only a page already hidden, so a write per key kept
 * nothing more (only a crash of the page's own process loses what was typed since the last save).
 */
export function keepForTab(name, draft, box, snapshot) {
  let leaving = false;
  const save = () => {
    if (leaving) return;
    const kept = snapshot();
    write(name, kept ? JSON.stringify(kept) : "");
    write(draft, box.value);
  };
  // From beforeunload on: the browser may close the page's streams before pagehide (measured on a reload in chromium:
  // both compare columns failed with "network error" 270 ms after beforeunload and 70 ms before pagehide), which would
  // otherwise be kept as failures. The page asks no one to stay, so a beforeunload is nearly always a page going away;
  // one it outlives (a reload stopped at once, a link that downloads) ends at the next key or tap, which keeping resumes.
  const leave = () => { save(); leaving = true; };
  const stay = () => { leaving = false; };
  addEventListener("beforeunload", leave);
  addEventListener("pagehide", leave);
  addEventListener("pageshow", stay);
  addEventListener("keydown", stay, true);
  addEventListener("pointerdown", stay, true);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") save(); });
  return {
    save,
    /** Puts the unsent words back in the box and returns what was kept (parsed; null if nothing or not JSON). */
    load() {
      box.value = readItem(storageArea(false), draft);
      try {
        return JSON.parse(readItem(storageArea(false), name) || "null");
      } catch {
        return null;
      }
    },
  };
}
