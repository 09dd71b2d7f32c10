// On a phone the settings of the next request wait behind a button, as a sheet over the conversation; on a wider
// screen they sit beside it and the button is not shown. The style sheet decides which, by the screen's width.

const FOCUSABLE = "button:not([hidden]), select, input, textarea, summary, [tabindex]:not([tabindex='-1'])";

export function createSettingsDrawer(panel, toggle) {
  const done = Object.assign(document.createElement("button"), { type: "button", className: "ghost settings-close", textContent: "Done" });
  panel.querySelector(".panel-title").append(done);
  // The dimmed page behind the sheet is an element of its own, so that a tap on it closes the sheet and does nothing
  // else: a shadow caught no taps, and the tap that closed the sheet also pressed whatever lay under it.
  const backdrop = Object.assign(document.createElement("div"), { className: "settings-backdrop" });
  panel.after(backdrop);

  // A sheet only while its button is shown: a window widened with the sheet open shows the panel in its place.
  const isOpen = () => panel.classList.contains("open") && toggle.offsetParent !== null;

  // Open, the sheet is a modal dialog (named by the panel's label) to assistive technology as it is to the eye;
  // beside the conversation it is a plain panel again.
  function mark(open) {
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
    } else {
      panel.removeAttribute("role");
      panel.removeAttribute("aria-modal");
    }
  }

  function setOpen(open) {
    mark(open);
    if (open) panel.querySelector("select, input")?.focus();
    else toggle.focus();
  }

  // The style sheet's width, where the sheet becomes a panel beside the conversation.
  window.matchMedia("(max-width: 820px)").addEventListener("change", (event) => {
    if (!event.matches && panel.classList.contains("open")) mark(false);
  });

  // A value the server refused by name is marked in the sheet, out of sight while it is closed: the button says so
  // until the value is changed (or the panel reset).
  const flag = () => {
    const refused = panel.querySelector(".setting.invalid") !== null;
    toggle.classList.toggle("flagged", refused);
    if (refused) toggle.setAttribute("aria-label", "Settings (a value was refused)");
    else toggle.removeAttribute("aria-label");
  };
  new MutationObserver(flag).observe(panel, { subtree: true, attributes: true, attributeFilter: ["class"] });

  toggle.addEventListener("click", () => setOpen(!isOpen()));
  done.addEventListener("click", () => setOpen(false));
  backdrop.addEventListener("click", () => setOpen(false));

  // While the sheet is open the keyboard stays in it, as in any modal sheet: Tab wraps from its last control to its
  // first and back, and focus that lands behind it anyway is brought back.
  const focusables = () => [...panel.querySelectorAll(FOCUSABLE)].filter((el) => !el.disabled && el.offsetParent !== null);
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || !isOpen()) return;
    const all = focusables();
    if (all.length === 0) return;
    const edge = event.shiftKey ? all[0] : all[all.length - 1];
    if (document.activeElement === edge) {
      event.preventDefault();
      (event.shiftKey ? all[all.length - 1] : all[0]).focus();
    }
  });
  document.addEventListener("focusin", (event) => {
    if (isOpen() && !panel.contains(event.target)) focusables()[0]?.focus();
  });

  return {
    get open() { return isOpen(); },
    close: () => setOpen(false),
  };
}
