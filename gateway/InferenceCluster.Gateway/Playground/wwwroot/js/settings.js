// A settings panel: the values of the next request only. An empty field is the state "server default":
// the request leaves the parameter out, and the gateway fills it from the profile or its defaults.

export const FIELDS = [
  { name: "temperature", label: "Temperature", min: 0, max: 2, step: 0.05, slider: true, hint: "0 = greedy" },
  { name: "top_p", label: "Top p", min: 0.01, max: 1, step: 0.01, slider: true },
  { name: "top_k", label: "Top k", min: 0, max: 1000, step: 1, integer: true, hint: "0 = no limit" },
  { name: "max_tokens", label: "Max tokens", min: 1, max: 32768, step: 1, integer: true },
  { name: "min_tokens", label: "Min tokens", min: 0, max: 32768, step: 1, integer: true, fallback: 0 },
  { name: "repetition_penalty", label: "Repetition penalty", min: 0.5, max: 2, step: 0.01, slider: true },
  { name: "seed", label: "Seed", step: 1, integer: true, hint: "deterministic sampling", fallback: "random" },
];

let panels = 0;

// A remembered value the field still takes: a number of the field's kind within its range. Anything else (a range
// narrowed since, a value of another kind) is left to the server.
function accepts(field, value) {
  return typeof value === "number" && Number.isFinite(value)
    && (field.min === undefined || value >= field.min) && (field.max === undefined || value <= field.max)
    && (!field.integer || Number.isSafeInteger(value));
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function fieldRow(field, id, onChange) {
  const number = element("input", { type: "number", id, name: field.name, step: field.step, inputMode: "decimal" });
  if (field.min !== undefined) number.min = field.min;
  if (field.max !== undefined) number.max = field.max;
  const reset = element("button", { type: "button", className: "reset", title: "Leave it to the server again", textContent: "reset" });
  // Seven buttons read "reset": each names its setting for whoever cannot see which row it sits in.
  reset.setAttribute("aria-label", `Reset ${field.label}`);
  const source = element("span", { className: "source" });
  const label = element("label", { htmlFor: id, textContent: field.label });
  const head = element("div", { className: "field-head" }, label, source, reset);
  const row = element("div", { className: "setting unset" }, head);
  row.dataset.field = field.name;
  let slider = null;
  if (field.slider) {
    slider = element("input", { type: "range", min: field.min, max: field.max, step: field.step, tabIndex: -1 });
    slider.setAttribute("aria-hidden", "true");
    slider.addEventListener("input", () => { number.value = slider.value; update(); });
    row.append(element("div", { className: "setting-inputs" }, slider, number));
  } else {
    row.append(number);
  }
  const note = element("small", { className: "setting-note" });
  row.append(note);

  function update() {
    const set = number.value.trim() !== "";
    row.classList.toggle("unset", !set);
    if (slider && set) slider.value = number.value;
    onChange();
  }
  number.addEventListener("input", update);
  reset.addEventListener("click", () => { number.value = ""; update(); });

  return {
    row,
    /** Takes a remembered value if the field still accepts it; otherwise the field is left to the server. */
    restore(value) { number.value = accepts(field, value) ? String(value) : ""; update(); },
    showDefault(value, origin) {
      const shown = value ?? field.fallback;
      number.placeholder = shown === undefined ? "" : String(shown);
      source.textContent = origin;
      if (slider && !number.value && typeof shown === "number") slider.value = shown;
      note.textContent = field.hint ?? "";
    },
    read() {
      if (number.value.trim() === "") return undefined;
      const value = Number(number.value);
      if (!Number.isFinite(value)) return undefined;
      return field.integer ? Math.trunc(value) : value;
    },
  };
}

/**
 * Builds a panel into `container`; `server` is /playground/config.json. `onChange` hears every change of a value
 * (a folded compare column says in its summary what it sets).
 */
export function createSettingsPanel(container, server, { title = "Next request", onChange = () => {} } = {}) {
  const prefix = `p${++panels}`;
  // A restore sets every field: it is one change, heard once at its end.
  let restoring = false;
  const changed = () => { if (!restoring) onChange(); };
  const rows = new Map();
  const profile = element("select", { id: `${prefix}-profile`, name: "profile" },
    element("option", { value: "", textContent: "none (server defaults)" }),
    ...server.profiles.map((p) => element("option", { value: p.name, textContent: p.name })));
  const stop = element("input", { type: "text", id: `${prefix}-stop`, name: "stop", placeholder: "none", spellcheck: false });

  function showDefaults() {
    const chosen = server.profiles.find((p) => p.name === profile.value);
    for (const [name, row] of rows) {
      const fromProfile = chosen?.[name];
      row.showDefault(fromProfile ?? server.defaults[name], fromProfile !== undefined ? `profile ${profile.value}` : "server default");
    }
  }

  // A text of its own: the title also holds buttons (a column's Remove, the sheet's Done).
  const titleText = document.createTextNode(title);
  container.append(
    element("h2", { className: "panel-title" }, titleText),
    element("div", { className: "setting profile" },
      element("label", { htmlFor: profile.id, textContent: "Profile" }), profile),
  );
  for (const field of FIELDS) {
    const row = fieldRow(field, `${prefix}-${field.name}`, changed);
    rows.set(field.name, row);
    container.append(row.row);
  }
  container.append(element("div", { className: "setting" },
    element("label", { htmlFor: stop.id, textContent: "Stop sequences" }), stop,
    element("small", { className: "setting-note", textContent: "up to 4, separated by |" })));
  const resetAll = element("button", { type: "button", className: "ghost reset-all", textContent: "Reset to defaults",
    title: "Clear the profile and every field: the server's defaults apply again" });
  container.append(resetAll);
  profile.addEventListener("change", () => { showDefaults(); onChange(); });
  stop.addEventListener("input", onChange);
  showDefaults();

  // A value the server refused, named by its error's param, is marked until it is changed.
  container.addEventListener("input", (event) => {
    event.target.closest(".setting")?.classList.remove("invalid");
    event.target.removeAttribute?.("aria-invalid");
  });

  const panel = {
    profile: () => profile.value,
    retitle(text) {
      titleText.data = text;
      // Up to four panels have a Reset to defaults: each names its own for whoever cannot see which one it sits in.
      resetAll.setAttribute("aria-label", `Reset ${text} to defaults`);
    },
    /** What to remember of this panel for the next visit: its profile and its values, as a request carries them. */
    snapshot() { return profile.value ? { profile: profile.value, ...panel.values() } : panel.values(); },
    /**
     * Takes back a snapshot. What the server or the fields no longer offer (a profile gone, a value out of range, a
     * stop list that is not one) is left to the server, as on a first visit.
     */
    restore(saved) {
      const wanted = saved !== null && typeof saved === "object" ? saved : {};
      restoring = true;
      try {
        profile.value = server.profiles.some((p) => p.name === wanted.profile) ? wanted.profile : "";
        for (const [name, row] of rows) row.restore(wanted[name]);
        const stops = Array.isArray(wanted.stop) ? wanted.stop : [];
        stop.value = stops.every((s) => typeof s === "string" && s.length > 0 && !s.includes("|")) ? stops.join("|") : "";
        showDefaults();
      } finally {
        restoring = false;
      }
      for (const marked of container.querySelectorAll(".setting.invalid")) marked.classList.remove("invalid");
      for (const marked of container.querySelectorAll("[aria-invalid]")) marked.removeAttribute("aria-invalid");
      onChange();
    },
    /** What this panel sets, in a few words ("profile math · temperature 0"); empty when all is left to the server. */
    describe() {
      const parts = profile.value ? [`profile ${profile.value}`] : [];
      for (const [name, value] of Object.entries(panel.values())) parts.push(`${name} ${Array.isArray(value) ? value.join("|") : value}`);
      return parts.join(" · ");
    },
    /** Marks the field a refusal names (its error's param), if it is one of this panel's. */
    markInvalid(param) {
      const input = param === "stop" ? stop : container.querySelector(`[data-field="${CSS.escape(param ?? "")}"] input[type=number]`);
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      input.closest(".setting").classList.add("invalid");
    },
    /** The request's own values: only the fields the user set. */
    values() {
      const values = {};
      for (const [name, row] of rows) {
        const value = row.read();
        if (value !== undefined) values[name] = value;
      }
      const stops = stop.value.split("|").filter((s) => s.length > 0);
      if (stops.length > 0) values.stop = stops;
      return values;
    },
  };
  resetAll.addEventListener("click", () => panel.restore({}));
  return panel;
}
