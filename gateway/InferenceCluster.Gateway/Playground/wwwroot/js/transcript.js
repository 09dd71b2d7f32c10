// The chat conversation of this tab, kept across a reload (tab.js): the turns the next request carries, what the page
// showed of each question and its answer (record.js), and the words typed but not sent. An answer still streaming when
// the page went away comes back cut short, never as if it had ended.
import { isCalls, recording, replay, waitLeft } from "./record.js";
import { keepForTab } from "./tab.js";

const STORAGE = "inference-cluster.conversation";
const DRAFT = "inference-cluster.draft";
const MARKS = new Set(["left-out", "failed"]);

// What was stored, if it is a conversation this page can show; anything else starts an empty one.
function parse(stored) {
  const turn = (t) => t && (t.role === "user" || t.role === "assistant") && typeof t.content === "string";
  const shown = (s) => s && typeof s.question === "string" && (s.mark === null || MARKS.has(s.mark)) && isCalls(s.calls);
  return Array.isArray(stored?.turns) && stored.turns.every(turn) && Array.isArray(stored.shown) && stored.shown.every(shown)
    ? stored : null;
}

/** `box` is the message box whose unsent words are kept too. */
export function createTranscript(box) {
  // turns: the messages the next request carries. shown: per question asked, its words, its bubble's mark and what its
  // answer was told.
  let state = { turns: [], shown: [] };
  const tab = keepForTab(STORAGE, DRAFT, box, () => (state.shown.length > 0 ? state : null));
  const save = tab.save;

  // A question without answer text (a failure, a stop or the token limit while the model still reasoned) is no turn of
  // `turns`, the conversation it was asked in: an empty assistant message would tell the model it had answered nothing.
  // The turn did not happen: in the conversation shown, its words come back to an empty box (what was typed meanwhile is
  // never overwritten), so that Enter sends them again. Returns what to say under its answer.
  function leaveOut(turns, question) {
    const current = turns === state.turns;
    const last = turns.at(-1);
    if (last?.role === "user" && last.content === question) turns.pop();
    const back = current && !/\S/.test(box.value);
    if (back) box.value = question;
    // A turn cut off by New chat belongs to a conversation no longer shown: its words are not brought back.
    return back ? "This turn is left out of the conversation; its question is back in the box."
      : current ? "This turn is left out of the conversation." : "";
  }

  return {
    /** The messages the next request carries: New chat starts another array. */
    get turns() { return state.turns; },
    /** Keeps what there is now; the page calls it when a question is asked and when its answer ends. */
    save,
    /** Leaves a question without answer text out of `turns`; returns what to say under its answer (see above). */
    leaveOut,
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
      const recorder = recording(entry.calls, answer);
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
      const kept = parse(tab.load());
      if (!kept) return null;
      state = kept;
      let shown = null;
      for (const entry of state.shown) {
        const { bubble, answer } = show(entry.question);
        shown = answer;
        if (entry.mark) bubble.classList.add(entry.mark);
        if (replay(entry.calls, answer)) continue;
        let note = "";
        if (answer.answered) {
          state.turns.push({ role: "assistant", content: answer.text });
        } else {
          note = leaveOut(state.turns, entry.question);
          entry.mark = "left-out";
          bubble.classList.add("left-out");
        }
        recording(entry.calls, answer).interrupted(note);
      }
      save();
      if (state.shown.length === 0) return null;
      const last = state.shown.at(-1);
      const seconds = waitLeft(last.calls);
      return { refused: seconds === null ? null : { question: last.question, answer: shown, seconds } };
    },
  };
}
