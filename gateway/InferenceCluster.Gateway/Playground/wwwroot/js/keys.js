// Shortcut hints in the words of the reader's keyboard: ⌘ and Return on a Mac, Ctrl and Enter elsewhere.

const platform = navigator.userAgentData?.platform || navigator.platform || "";
const mac = /mac|iphone|ipad|ipod/i.test(platform) || /Macintosh|Mac OS X/.test(navigator.userAgent);

export const keys = {
  copy: mac ? "⌘C" : "Ctrl+C",
  send: mac ? "Return" : "Enter",
  newLine: mac ? "Shift+Return" : "Shift+Enter",
};

/** Writes the hints into the page's boxes. */
export function showKeyHints() {
  document.getElementById("prompt").placeholder = `Message the model (${keys.send} sends, ${keys.newLine} for a new line)`;
  document.getElementById("compare-prompt").placeholder = `One prompt for every column (${keys.send} runs all, ${keys.newLine} for a new line)`;
}
