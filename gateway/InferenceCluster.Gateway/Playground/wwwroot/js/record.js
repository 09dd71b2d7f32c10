// An answer as the page told it (answer.js), recorded call by call, so that it can be told again after a reload and
// show the same: the way chat (transcript.js) and compare (compare.js) keep their answers for the tab.

// What an answer is told, recorded in order; the last four end it.
const RECORDED = ["start", "identify", "reasoning", "content", "note", "finish", "stopped", "fail", "interrupted"];
const ENDS = new Set(["finish", "stopped", "fail", "interrupted"]);

/** Whether `calls`, read back from storage, is a recording this page can tell again. */
export function isCalls(calls) {
  return Array.isArray(calls) && calls.every((c) => Array.isArray(c) && RECORDED.includes(c[0]) && Array.isArray(c[1]));
}

// An error as stored: its message is not one of its own enumerable fields, which JSON would leave out. A wait the
// server asked for is kept as the moment it ends too, so that a Retry shown again after a reload counts down from there.
function plain(err) {
  const retryAt = typeof err.retryAfter === "number" ? Date.now() + err.retryAfter * 1000 : null;
  return { message: err.message, status: err.status, param: err.param, code: err.code, retryAfter: err.retryAfter, retryAt, partial: err.partial };
}

function record(calls, name, args) {
  const last = calls.at(-1);
  // Pieces of one kind in a row are kept as one: a long answer comes in thousands.
  if ((name === "reasoning" || name === "content") && last?.[0] === name) last[1][0] += args[0];
  else calls.push([name, name === "fail" ? [plain(args[0]), ...args.slice(1)] : args]);
}

/** Tells `answer` what it is told, and records it in `calls`. */
export function recording(calls, answer) {
  const recorder = Object.create(answer);
  for (const name of RECORDED) {
    recorder[name] = (...args) => {
      record(calls, name, args);
      return answer[name](...args);
    };
  }
  return recorder;
}

/** Tells `answer` again what `calls` recorded; returns whether that ended it (else the reload cut its stream). */
export function replay(calls, answer) {
  for (const [name, args] of calls) answer[name](...args);
  return calls.some(([name]) => ENDS.has(name));
}

/** The seconds still to wait before the refusal that ended `calls` may be sent again; null if it offers no Retry. */
export function waitLeft(calls) {
  const [name, args] = calls.at(-1) ?? [];
  const retryAt = name === "fail" ? args[0]?.retryAt : null;
  return typeof retryAt === "number" ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : null;
}
