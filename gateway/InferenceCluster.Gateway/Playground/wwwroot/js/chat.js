// Chat mode: a multi-turn conversation. The history is sent with each request (the server keeps none);
// the settings panel's values go with the next request only.
import { streamChat } from "./api.js";
import { createAnswer } from "./answer.js";
import { createSettingsDrawer } from "./drawer.js";
import { guardEmpty } from "./empty.js";
import { createSettingsPanel } from "./settings.js";
import { createTranscript } from "./transcript.js";

/** `memory` keeps the panel's settings for the next visit (memory.js). */
export function createChat(server, connection, memory) {
  const messages = document.getElementById("messages");
  const empty = document.getElementById("empty-chat");
  const form = document.getElementById("composer");
  const prompt = document.getElementById("prompt");
  const send = document.getElementById("send");
  const stop = document.getElementById("stop");
  const panel = document.getElementById("chat-settings");
  const settings = createSettingsPanel(panel, server, { onChange: () => memory.set("chat", settings.snapshot()) });
  settings.restore(memory.get("chat"));
  const drawer = createSettingsDrawer(panel, document.getElementById("settings-toggle"));
  const filled = guardEmpty(prompt, send, document.getElementById("prompt-hint"));
  // The conversation, kept for this tab across a reload. New chat starts another array of turns, so that an answer
  // still ending (a stopped stream) adds its turn to the conversation it belongs to, never to the new one.
  const transcript = createTranscript(prompt);
  let running = null;
  // The Retry offered under a refused turn, until it is pressed or another request goes out.
  let retry = null;

  // While the reader is at the end of the conversation, a growing answer keeps that end in view; scrolling up to
  // read stops it until they come back down. Wide screens scroll the messages, narrow ones the page.
  function follow(change) {
    const atEnd = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 32;
    const composerShown = form.getBoundingClientRect().bottom <= window.innerHeight + 32;
    change();
    if (atEnd) messages.scrollTop = messages.scrollHeight;
    if (composerShown && form.getBoundingClientRect().bottom > window.innerHeight) form.scrollIntoView({ block: "end" });
  }

  // The box stays open while an answer streams, so the next question can be written meanwhile; sending it waits
  // until the answer ends or is stopped. Send and Stop take turns in one place, and so does the keyboard's focus
  // (at the end it goes to the box).
  function busy(on) {
    const focused = on && document.activeElement === send;
    send.hidden = on;
    stop.hidden = !on;
    if (focused) stop.focus({ preventScroll: true });
  }

  function withdrawRetry() {
    retry?.cancel();
    retry = null;
  }

  // Under the refused turn `answer`, a Retry that sends its question again once `seconds` have passed.
  function offerRetry(answer, question, seconds) {
    retry = answer.offerRetry(seconds, () => submit(question));
  }

  /** Sends the box's text, or `again`, the question of a refused turn. */
  async function submit(again = null) {
    if (running || (again === null && !filled.check())) return;
    const text = again ?? prompt.value.trim();
    const model = connection.model(settings.profile());
    if (!model) { connection.noModel(); return; }
    withdrawRetry();
    const turns = transcript.turns;
    turns.push({ role: "user", content: text });
    if (prompt.value.trim() === text) {
      prompt.value = "";
      filled.update();
    }
    const shown = show(text);
    const answer = transcript.ask(text, shown.bubble, shown.answer);
    transcript.save();
    // A new question is read where it was asked, wherever the reader had scrolled.
    messages.scrollTop = messages.scrollHeight;
    running = new AbortController();
    busy(true);
    // What the next request will carry is what the page shows as the conversation: an answer as far as it came (a
    // stopped one too), and no turn at all where no answer text came (transcript.leaveOut).
    const leaveOut = () => {
      const note = transcript.leaveOut(turns, text);
      filled.update();
      return note;
    };
    try {
      const result = await streamChat({
        model,
        messages: turns,
        settings: settings.values(),
        key: connection.key(),
        signal: running.signal,
        on: answer,
      });
      answer.finish(result);
      if (answer.answered) turns.push({ role: "assistant", content: answer.text });
      else {
        answer.note(leaveOut());
        answer.mark("left-out");
      }
    } catch (err) {
      if (err.name === "AbortError" && answer.answered) {
        answer.stopped("", err.partial);
        turns.push({ role: "assistant", content: answer.text });
      } else if (err.name === "AbortError") {
        answer.stopped(leaveOut(), err.partial);
        answer.mark("left-out");
      } else {
        const current = turns === transcript.turns;
        // Each question carries the conversation so far: a prompt too long for the model's context is then mostly
        // earlier turns the reader never sees counted, and only New chat leaves them behind.
        // Only when the input is what does not fit: with the reader's own max_tokens or min_tokens named, New chat would not help.
        const outgrown = current && err.code === "context_length_exceeded" && err.param === "messages" && turns.length > 1
          ? "The earlier turns of this conversation go with every question; New chat starts one without them." : "";
        answer.fail(err, [outgrown, leaveOut()].filter(Boolean).join(" "));
        settings.markInvalid(err.param);
        answer.mark("failed");
        connection.noteError(err);
        if (current && typeof err.retryAfter === "number") offerRetry(answer, text, err.retryAfter);
      }
    } finally {
      transcript.save();
      running = null;
      busy(false);
      prompt.focus();
    }
  }

  // A question's bubble and the answer under it, as asked now or shown again after a reload.
  function show(text) {
    empty.hidden = true;
    const bubble = Object.assign(document.createElement("div"), { className: "user-message", textContent: text });
    follow(() => messages.append(bubble));
    return { bubble, answer: createAnswer(messages, server.playground, { follow }) };
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(); }
  });
  stop.addEventListener("click", () => running?.abort());
  // Escape closes the settings sheet of a phone if open, else stops what the visible mode runs: never a chat answer
  // streaming behind the compare view.
  const view = document.getElementById("chat-view");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || view.hidden) return;
    if (drawer.open) drawer.close();
    else running?.abort();
  });
  document.getElementById("clear").addEventListener("click", () => {
    running?.abort();
    withdrawRetry();
    transcript.clear();
    messages.replaceChildren(empty);
    empty.hidden = false;
    prompt.focus();
  });

  // The conversation of this tab before a reload, its end in view, and the Retry its last turn offered.
  const restored = transcript.restore(show);
  if (restored) messages.scrollTop = messages.scrollHeight;
  if (restored?.refused) offerRetry(restored.refused.answer, restored.refused.question, restored.refused.seconds);
  filled.update();
}
