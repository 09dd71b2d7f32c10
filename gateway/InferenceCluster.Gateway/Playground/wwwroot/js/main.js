// Boots the page: server settings, the API key (kept for this tab, or remembered on this device if asked), the model
// list, the modes.
import { getSettings, listModels, loadKey, moveKey, onDeviceChange, saveKey } from "./api.js";
import { describeWait } from "./retry.js";
import { createChat } from "./chat.js";
import { createCompare } from "./compare.js";
import { showKeyHints } from "./keys.js";
import { createMemory } from "./memory.js";

const status = document.getElementById("status");
const modelSelect = document.getElementById("model");
const keyInput = document.getElementById("api-key");
const rememberKey = document.getElementById("remember-key");
// The mode, the model and the panels' settings of the last visit (never the key: api.js keeps that apart).
const memory = createMemory();

function report(message, kind = "error") {
  status.textContent = message;
  status.dataset.kind = kind;
  status.hidden = !message;
}

// While no model can be listed for a reason that may pass (no worker yet, gateway not reachable), ask again.
const RETRY_MS = 3000;
let retry;

async function refreshModels(keyRequired) {
  clearTimeout(retry);
  // The model shown, else the last visit's; one no longer served gives way to the first that is.
  const previous = modelSelect.value || memory.get("model");
  if (keyRequired && !keyInput.value.trim()) {
    // Asking would only earn a 401: say what is missing instead.
    modelSelect.replaceChildren();
    report("This gateway needs an API key. Enter your API key above.");
    return;
  }
  try {
    const models = await listModels(keyInput.value.trim());
    modelSelect.replaceChildren(...models.map((id) => Object.assign(document.createElement("option"), { value: id, textContent: id })));
    if (models.includes(previous)) modelSelect.value = previous;
    report(models.length === 0 ? "No model is served yet: no worker has announced itself. Asking again every few seconds." : "");
    if (models.length === 0) retry = setTimeout(() => refreshModels(keyRequired), RETRY_MS);
  } catch (err) {
    modelSelect.replaceChildren();
    // "Not now" (429 or 503 with Retry-After) is waited out as a refused answer is: the list is asked for again when
    // the server said, not sooner.
    if (typeof err.retryAfter === "number") {
      report(`${describeWait(err, "the models are asked for again")} ${err.message}`);
      retry = setTimeout(() => refreshModels(keyRequired), Math.max(RETRY_MS, err.retryAfter * 1000));
      return;
    }
    report(err.status === 401 ? `${err.message} Enter your API key above.` : `Could not list models: ${err.message}`);
    if (err.status === 0 || err.status >= 500) retry = setTimeout(() => refreshModels(keyRequired), RETRY_MS);
  }
}

const connection = {
  key: () => keyInput.value.trim(),
  // A profile travels as a suffix of the model id, as with any OpenAI client.
  model: (profile) => (modelSelect.value ? (profile ? `${modelSelect.value}:${profile}` : modelSelect.value) : ""),
  report,
  // Asked to send with no model to send to. The list is empty for a reason the status line already gives (no key
  // yet, no worker yet, the gateway not reachable): that reason stays, and a missing key gets the cursor.
  noModel() {
    if (status.hidden) report("Pick a model first.");
    else if (!keyInput.value.trim()) keyInput.focus();
  },
  noteError(err) {
    if (err.status === 401) report(`${err.message} Check the API key above.`);
  },
};

function switchMode(compare, { focus = true } = {}) {
  memory.set("mode", compare ? "compare" : "chat");
  document.getElementById("chat-view").hidden = compare;
  document.getElementById("compare-view").hidden = !compare;
  for (const [id, on] of [["mode-chat", !compare], ["mode-compare", compare]]) {
    const button = document.getElementById(id);
    button.classList.toggle("active", on);
    button.setAttribute("aria-pressed", String(on));
  }
  if (focus) document.getElementById(compare ? "compare-prompt" : "prompt").focus();
}

// The cursor goes where the reader types first: the message box, or the key field while the gateway needs a key and
// none is kept. Not when the reader already put it somewhere while the page loaded, and without moving the page: on a
// short screen the box is below the fold, and the page is read from its top.
function focusFirst(keyRequired) {
  if (document.activeElement && document.activeElement !== document.body) return;
  const compare = !document.getElementById("compare-view").hidden;
  const target = keyRequired && !keyInput.value.trim() ? keyInput : document.getElementById(compare ? "compare-prompt" : "prompt");
  target.focus({ preventScroll: true });
}

async function boot() {
  showKeyHints();
  let server;
  try {
    server = await getSettings();
  } catch (err) {
    report(`Could not load the playground settings: ${err.message}`);
    return;
  }
  server.playground = { traceUrlTemplate: server.trace_url_template };
  const kept = loadKey();
  keyInput.value = kept.key;
  rememberKey.checked = kept.remembered;
  // The hint says where the key is kept, as the box below the field decides.
  const showKeyHint = () => {
    const where = rememberKey.checked ? "remembered on this device" : "kept for this tab only";
    document.getElementById("key-hint").textContent = server.api_key_required ? `required · ${where}` : where;
  };
  showKeyHint();
  // The box's own words agree with the hint above it: "not needed" is only for an open gateway.
  keyInput.placeholder = server.api_key_required ? "paste your API key" : "not needed in open mode";
  rememberKey.addEventListener("change", () => {
    moveKey(keyInput.value.trim(), rememberKey.checked);
    showKeyHint();
  });
  let typing;
  const keyChanged = () => {
    clearTimeout(typing);
    typing = setTimeout(() => refreshModels(server.api_key_required), 300);
  };
  keyInput.addEventListener("input", () => {
    saveKey(keyInput.value.trim(), rememberKey.checked);
    keyChanged();
  });
  // Another tab ticked or cleared the box, or edited the remembered key. A tick is followed only by a tab it takes no
  // key from (its field empty or holding the device's key): a tab using a key of its own keeps it, for itself. A tab
  // that sees the box cleared keeps its key for itself (as the tab that cleared it); one that sees the key forgotten
  // forgets it too, keeping it nowhere.
  onDeviceChange({
    boxChanged(remembered, key) {
      const mine = keyInput.value.trim();
      if (remembered) {
        if (rememberKey.checked || (mine && mine !== key)) return;
        rememberKey.checked = true;
        saveKey("", false);
        if (key !== mine) {
          keyInput.value = key;
          keyChanged();
        }
      } else {
        if (!rememberKey.checked) return;
        rememberKey.checked = false;
        saveKey(mine, false);
      }
      showKeyHint();
    },
    keyEdited(key) {
      if (!rememberKey.checked || key === keyInput.value.trim()) return;
      keyInput.value = key;
      keyChanged();
    },
  });
  document.getElementById("mode-chat").addEventListener("click", () => switchMode(false));
  document.getElementById("mode-compare").addEventListener("click", () => switchMode(true));
  modelSelect.addEventListener("change", () => memory.set("model", modelSelect.value));
  createChat(server, connection, memory);
  createCompare(server, connection, memory);
  if (memory.get("mode") === "compare") switchMode(true, { focus: false });
  focusFirst(server.api_key_required);
  await refreshModels(server.api_key_required);
  document.body.dataset.ready = "true";
}

boot();
