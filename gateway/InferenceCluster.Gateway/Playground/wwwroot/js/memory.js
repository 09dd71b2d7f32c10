// What the page remembers between visits, in this browser's local storage: the mode, the model, and the settings of
// each panel (chat's, and compare's columns). Never the API key: api.js keeps that apart, for the tab unless the reader
// asks this device to remember it.
// Whatever is read back is only a wish: the panels take a stored value only if it is one they still offer.

import { readItem, storageArea, writeItem } from "./storage.js";

const STORAGE = "inference-cluster.settings";

function read() {
  try {
    const stored = JSON.parse(readItem(storageArea(true), STORAGE) || "null");
    return stored !== null && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  } catch {
    // Not JSON: the page starts from the server's defaults, as it does where storage is turned off.
    return {};
  }
}

/** The remembered settings: `get(name)` what was stored under a name, `set(name, value)` stores it for the next visit. */
export function createMemory() {
  return {
    get: (name) => read()[name],
    set(name, value) {
      // Over what is stored now, not over what this page read at its start: another tab of the page may have stored
      // its own changes since (chat's settings there, compare's here), and they stay.
      const now = read();
      now[name] = value;
      // Storage full or turned off: the settings still hold for this visit.
      writeItem(storageArea(true), STORAGE, JSON.stringify(now));
    },
  };
}
