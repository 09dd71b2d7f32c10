// On a phone the settings of the next request wait behind a button, as a sheet over the conversation; on a wider
// screen they sit beside it and the button is not shown. The style sheet decides which, by the screen's width.

export function createSettingsDrawer(panel, toggle) {
  const done = Object.assign(document.createElement("button"), { type: "button", className: "ghost settings-close", textContent: "Done" });
  panel.querySelector(".panel-title").append(done);

  // A sheet only while its button is shown: a window widened with the sheet open shows the panel in its place.
  const isOpen = () => panel.classList.contains("open") && toggle.offsetParent !== null;

  function setOpen(open, returnFocus = true) {
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) panel.querySelector("select, input")?.focus();
    else if (returnFocus) toggle.focus();
  }

  toggle.addEventListener("click", () => setOpen(!isOpen()));
  done.addEventListener("click", () => setOpen(false));
  // A tap outside the sheet closes it, as sheets do on phones; focus stays where the tap put it.
  document.addEventListener("pointerdown", (event) => {
    if (isOpen() && !panel.contains(event.target) && !toggle.contains(event.target)) setOpen(false, false);
  });

  return {
    get open() { return isOpen(); },
    close: () => setOpen(false),
  };
}
