// The chat conversation of this tab, kept across a reload: the turns the next request carries, what the page showed of
// each question and its answer, and the words typed but not sent. Session storage is the tab's alone (another tab or
// another user of the machine never sees it) and goes with the tab. An answer still streaming when the page went away
// comes back cut short, never as if it had ended.

const STORAGE = "inference-cluster.conversation";
const DRAFT = "inference-cluster.draft";

// What an answer is told (answer.js), recorded in order and told again to show it anew; the last four end it.
const RECORDED = ["start", "identify", "reasoning", "content", "note", "finish", "stopped", "fail", "interrupted"];
const ENDS = new Set(["finish", "stopped", "fail", "interrupted"]);
const MARKS = new Set(["left-out", "failed"]);

function read(name) {
  try {
    return sessionStorage.getItem(name) ?? "";
  } catch {
    return "";
  }
}

function write(name, value) {
  try {
    if (value) sessionStorage.setItem(name, value);
    else sessionStorage.removeItem(name);
  } catch {
    // Storage full or turned off: the conversation still holds for this page. What was kept before is dropped, so that
    // a reload never shows an older conversation as if it were the whole one (and sends its shorter history).
    try { sessionStorage.removeItem(name); } catch { /* turned off: nothing was kept */ }
  }
}

// What was stored, if it is a conversation this page can show; anything else starts an empty one.
function parse(text) {
  try {
    const stored = JSON.parse(text);
    const turn = (t) => t && (t.role === "user" || t.role === "assistant") && typeof t.content === "string";
    const call = (c) => Array.isArray(c) && RECORDED.includes(c[0]) && Array.isArray(c[1]);
    const shown = (s) => s && typeof s.question === "string" && (s.mark === null || MARKS.has(s.mark))
      && Array.isArray(s.calls) && s.calls.every(call);
    return Array.isArray(stored?.turns) && stored.turns.every(turn) && Array.isArray(stored.shown) && stored.shown.every(shown)
      ? stored : null;
  } catch {
    return null;
  }
}

// An error as stored: its message is not one of its own enumerable fields, which JSON would leave out. A wait the
// server asked for is kept as the moment it ends too, so that a Retry shown again after a reload counts down from there.
function plain(err) {
  const retryAt = typeof err.retryAfter === "number" ? Date.now() + err.retryAfter * 1000 : null;
  return { message: err.message, status: err.status, param: err.param, code: err.code, retryAfter: err.retryAfter, retryAt, partial: err.partial };
}

// The seconds still to wait before the refusal that ended `entry` may be sent again; null if it offers no Retry.
function waitLeft(entry) {
  const [name, args] = entry.calls.at(-1) ?? [];
  const retryAt = name === "fail" ? args[0]?.retryAt : null;
  return typeof retryAt === "number" ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : null;
}

/** `box` is the message box whose unsent words are kept too. */
export function createTranscript(box) {
  // turns: the messages the next request carries. shown: per question asked, its words, its bubble's mark and what its
  // answer was told.
  let state = { turns: [], shown: [] };
  // Once the page is going away nothing more is kept: a stream closed by the unload must not read as stopped by hand.
  let leaving = false;

  const save = () => {
    if (leaving) return;
    write(STORAGE, state.shown.length > 0 ? JSON.stringify(state) : "");
    write(DRAFT, box.value);
  };
  box.addEventListener("input", () => { if (!leaving) write(DRAFT, box.value); });
  // A reload, a closed tab, a phone putting the page away: what streams now is kept as far as it came.
  addEventListener("pagehide", () => { save(); leaving = true; });
  addEventListener("pageshow", () => { leaving = false; });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") save(); });

  function record(entry, name, args) {
    const last = entry.calls.at(-1);
    // Pieces of one kind in a row are kept as one: a long answer comes in thousands.
    if ((name === "reasoning" || name === "content") && last?.[0] === name) last[1][0] += args[0];
    else entry.calls.push([name, name === "fail" ? [plain(args[0]), ...args.slice(1)] : args]);
  }

  // Tells `answer` what it is told, and keeps it in `entry`.
  function recording(entry, answer) {
    const recorder = Object.create(answer);
    for (const name of RECORDED) {
      recorder[name] = (...args) => {
        record(entry, name, args);
        return answer[name](...args);
      };
    }
    return recorder;
  }

  return {
    /** The messages the next request carries: New chat starts another array. */
    get turns() { return state.turns; },
    /** Keeps what there is now; the page calls it when a question is asked and when its answer ends. */
    save,
    /** Starts a conversation without the earlier turns. */
    clear() {
      state = { turns: [], shown: [] };
      save();
    },
    /**
     * A question asked, with its bubble and answer (answer.js): returns the answer to stream into, recorded, and
     * `mark(kind)` for its bubble ("left-out", "failed").
     */
    ask(question, bubble, answer) {
      const entry = { question, mark: null, calls: [] };
      state.shown.push(entry);
      const recorder = recording(entry, answer);
      recorder.mark = (kind) => {
        bubble.classList.add(kind);
        entry.mark = kind;
      };
      return recorder;
    },
    /**
     * Shows the kept conversation again through `show(question)` (which returns the bubble and answer of a question)
     * and puts the unsent words back in the box. An answer whose stream the page lost is marked cut short: with answer
     * text it stays in the conversation as far as it came, without it its turn is left out, as a stopped one's is, and
     * its question comes back to an empty box. Returns null when there was no conversation, else `refused`: the last
     * question if the server refused it for now (Retry-After), with its answer and the seconds still to wait, which
     * offered a Retry before the reload and offers it again; null otherwise.
     */
    restore(show) {
      const kept = parse(read(STORAGE));
      box.value = read(DRAFT);
      if (!kept) return null;
      state = kept;
      let shown = null;
      for (const entry of state.shown) {
        const { bubble, answer } = show(entry.question);
        shown = answer;
        if (entry.mark) bubble.classList.add(entry.mark);
        for (const [name, args] of entry.calls) answer[name](...args);
        if (entry.calls.some(([name]) => ENDS.has(name))) continue;
        const last = state.turns.at(-1);
        if (answer.answered) {
          state.turns.push({ role: "assistant", content: answer.text });
          entry.calls.push(["interrupted", [""]]);
        } else {
          if (last?.role === "user" && last.content === entry.question) state.turns.pop();
          const back = !/\S/.test(box.value);
          if (back) box.value = entry.question;
          const note = back ? "This turn is left out of the conversation; its question is back in the box." : "This turn is left out of the conversation.";
          entry.mark = "left-out";
          bubble.classList.add("left-out");
          entry.calls.push(["interrupted", [note]]);
        }
        answer.interrupted(entry.calls.at(-1)[1][0]);
      }
      save();
      if (state.shown.length === 0) return null;
      const last = state.shown.at(-1);
      const seconds = waitLeft(last);
      return { refused: seconds === null ? null : { question: last.question, answer: shown, seconds } };
    },
  };
}
