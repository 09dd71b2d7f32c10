// Compare mode: one prompt, two to four columns, each with its own settings, all sent at once. Each column
// streams its own answer: the visible proof that one request's settings never reach another's.
import { streamChat } from "./api.js";
import { createAnswer } from "./answer.js";
import { guardEmpty } from "./empty.js";
import { createPageFollow } from "./follow.js";
import { isCalls, recording, replay } from "./record.js";
import { createSettingsPanel } from "./settings.js";
import { keepForTab } from "./tab.js";

const MIN_COLUMNS = 2;
const MAX_COLUMNS = 4;
// The columns' answers of the last run and the unsent prompt, kept for this tab across a reload as chat's are.
const STORAGE = "inference-cluster.compare";
const DRAFT = "inference-cluster.compare-draft";

/** `memory` keeps the columns and their settings for the next visit (memory.js). */
export function createCompare(server, connection, memory) {
  const form = document.getElementById("compare-form");
  const prompt = document.getElementById("compare-prompt");
  const run = document.getElementById("compare-run");
  const stop = document.getElementById("compare-stop");
  const add = document.getElementById("compare-add");
  const container = document.getElementById("columns");
  const view = document.getElementById("compare-view");
  const columns = [];
  let controllers = [];
  // Downwards only: on a phone the columns stand one under the other, and bringing each column's end into view in
  // turn threw the page up and down between them with every piece.
  const follow = createPageFollow();
  const filled = guardEmpty(prompt, run, document.getElementById("compare-hint"));

  const remember = () => memory.set("compare", columns.map((column) => column.settings.snapshot()));
  // Each column's answer as recorded (record.js), in the columns' order; null for a column without one.
  const tab = keepForTab(STORAGE, DRAFT, prompt, () => (columns.some((c) => c.calls) ? { answers: columns.map((c) => c.calls) } : null));

  function addColumn() {
    if (columns.length >= MAX_COLUMNS) return;
    const node = document.createElement("section");
    node.className = "column";
    const settingsBox = document.createElement("details");
    settingsBox.className = "column-settings";
    // On a phone the columns stand one under the other: folded settings keep the answers near the prompt.
    // The width is the style sheet's, where the columns stop standing side by side.
    settingsBox.open = !window.matchMedia("(max-width: 820px)").matches;
    const summary = document.createElement("summary");
    settingsBox.append(summary);
    const output = document.createElement("div");
    output.className = "column-output";
    const remove = Object.assign(document.createElement("button"), { type: "button", className: "ghost remove", textContent: "Remove" });
    node.append(settingsBox, output);
    container.append(node);
    const column = { node, output, summary, remove, settings: null, name: "", running: null, calls: null };
    // Folded (as on a phone), the summary is all one sees of a column's settings: it says what the column sets. The
    // column's name is its heading's alone, above the summary, so that an open column does not show it twice; the
    // summary's name carries it too, for whoever reaches the summary without reading the heading.
    column.describe = () => {
      const sets = column.settings?.describe() || "server defaults";
      summary.textContent = `Settings · ${sets}`;
      summary.setAttribute("aria-label", `${column.name} settings · ${sets}`);
    };
    column.settings = createSettingsPanel(settingsBox, server, { onChange: () => { column.describe(); remember(); } });
    const title = settingsBox.querySelector(".panel-title");
    title.append(remove);
    node.prepend(title);
    remove.addEventListener("click", () => {
      if (columns.length <= MIN_COLUMNS) return;
      // A column removed while it runs takes its answer with it: its stream is closed, so that the gateway cancels the
      // generation on its worker rather than leave it writing for nobody.
      column.running?.abort();
      const index = columns.indexOf(column);
      columns.splice(index, 1);
      node.remove();
      refresh();
      remember();
      tab.save();
      // The button went with its column: the keyboard goes on from the column now in its place (the one before it, for
      // the last), not from the top of the page, and a screen reader says where that is.
      columns[Math.min(index, columns.length - 1)].summary.focus();
    });
    columns.push(column);
    refresh();
  }

  function refresh() {
    // Columns are numbered as they stand: with one removed, those after it move up a number, so that the numbers run
    // 1, 2, 3 and a column added later never takes a number another still shows.
    columns.forEach((column, i) => {
      column.name = `Column ${i + 1}`;
      column.settings.retitle(column.name);
      column.describe();
      // Up to four buttons read "Remove": each names its column for whoever cannot see which one it sits in.
      column.remove.setAttribute("aria-label", `Remove ${column.name}`);
    });
    add.disabled = columns.length >= MAX_COLUMNS;
    container.dataset.count = String(columns.length);
    for (const button of container.querySelectorAll(".remove")) button.hidden = columns.length <= MIN_COLUMNS;
  }

  // Run all and Stop all take turns in one place: the keyboard's focus moves from one to the other rather than fall
  // to the top of the page with the one hidden. Without moving the page: at a run's end the reader is down at the
  // answers, far from the buttons.
  function busy(on) {
    const focused = document.activeElement === (on ? run : stop);
    // While the columns run, the prompt and its buttons stay at the top of the screen: the page follows the answers far
    // below them (on a phone the columns stand one under the other), and Stop all is what one reaches for then.
    view.classList.toggle("running", on);
    run.hidden = on;
    stop.hidden = !on;
    if (focused) (on ? stop : run).focus({ preventScroll: true });
  }

  // A column's answer, recorded to be shown again after a reload.
  function showAnswer(column, options) {
    column.output.replaceChildren();
    column.calls = [];
    return recording(column.calls, createAnswer(column.output, server.playground, options));
  }

  async function runOne(column, answer, text, controller) {
    column.running = controller;
    try {
      const result = await streamChat({
        model: connection.model(column.settings.profile()),
        messages: [{ role: "user", content: text }],
        settings: column.settings.values(),
        key: connection.key(),
        signal: controller.signal,
        on: answer,
      });
      answer.finish(result);
    } catch (err) {
      if (err.name === "AbortError") answer.stopped("", err.partial);
      else { answer.fail(err); column.settings.markInvalid(err.param); connection.noteError(err); }
    } finally {
      column.running = null;
      tab.save();
    }
  }

  async function submit() {
    if (controllers.length > 0 || !filled.check()) return;
    const text = prompt.value.trim();
    if (!connection.model("")) { connection.noModel(); return; }
    controllers = columns.map(() => new AbortController());
    busy(true);
    follow.restart();
    const answers = columns.map((column) => showAnswer(column, { reveal: follow.reveal }));
    tab.save();
    // All at once, not one after another: the columns share the cluster as concurrent users would.
    await Promise.all(columns.map((column, i) => runOne(column, answers[i], text, controllers[i])));
    controllers = [];
    follow.end();
    busy(false);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(); }
  });
  stop.addEventListener("click", () => controllers.forEach((c) => c.abort()));
  // Escape stops every column, as it stops the answer in chat mode.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !view.hidden) controllers.forEach((c) => c.abort());
  });
  add.addEventListener("click", () => {
    addColumn();
    remember();
    // The last column there is room for disables the button that added it, which drops the keyboard's focus: it goes
    // on from the new column instead.
    if (add.disabled) columns[columns.length - 1].summary.focus();
  });
  // The columns of the last visit, as many as there is room for, each with its settings.
  const stored = memory.get("compare");
  const saved = Array.isArray(stored) ? stored : [];
  for (let i = 0; i < Math.min(Math.max(saved.length, MIN_COLUMNS), MAX_COLUMNS); i++) {
    addColumn();
    columns[i].settings.restore(saved[i]);
  }
  remember();
  // The answers of this tab's last run, each in the column that had it; one the reload cut short says so.
  const kept = tab.load()?.answers;
  columns.forEach((column, i) => {
    const calls = Array.isArray(kept) ? kept[i] : null;
    if (!isCalls(calls)) return;
    // Told again through a new recording, which records the same.
    const answer = showAnswer(column);
    if (!replay(calls, answer)) answer.interrupted("");
  });
  tab.save();
  filled.update();
}
