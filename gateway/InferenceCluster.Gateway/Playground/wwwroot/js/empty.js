// An empty box sends nothing, and says so. Its Send (or Run all) looks unavailable while the box is empty, and pressed
// anyway it says why next to the box and gives the cursor to the box. The button stays in the keyboard's order
// (aria-disabled, not disabled): a disabled button drops the focus of whoever stands on it, and a reader who cannot see
// the dimming hears "unavailable" and, pressing it, the reason.

const WHY = "Type a message first: an empty one is not sent.";

/**
 * Watches `box` for `button`, saying why in `hint` (a polite live region). `update()` is for the page's own changes of
 * the box (a question sent, one put back); `check()` says whether there is something to send, and if not, why.
 */
export function guardEmpty(box, button, hint) {
  const update = () => {
    const empty = !/\S/.test(box.value);
    button.setAttribute("aria-disabled", String(empty));
    if (!empty) hint.textContent = "";
    return !empty;
  };
  box.addEventListener("input", update);
  update();
  return {
    update,
    check() {
      if (update()) return true;
      hint.textContent = WHY;
      box.focus();
      return false;
    },
  };
}
