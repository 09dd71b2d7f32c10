#!/usr/bin/env python3
"""A fault drill against a running cluster, seen from its clients: sends a mixed load, runs a fault while it is under
way, and says what each client got: a complete answer, a clear OpenAI-shaped error, or something BAD (a cut
connection, a stream ended without [DONE] or an error, a 200 with an unfinished choice, an error not in OpenAI's shape).

The load (every request as long as the context allows, so the fault meets it mid-way): chat streamed greedy (2),
seeded with n=2, unseeded with n=1 and n=2; chat whole greedy and unseeded n=2; Responses streamed greedy, seeded and
unseeded, and whole greedy. Responses has no min_tokens, so its requests use a profile that sets it; start the cluster with

    Gateway__Profiles__long__MinTokens=1900 Gateway__Profiles__long__MaxTokens=1900 deploy/local/cluster.sh up --workers 2

usage:
  python3 scripts/fault-drill.py load --gateway URL --fault 'SHELL COMMAND' [--after SECONDS] [--redis-port PORT]
      the fault runs (bash) SECONDS after the load starts; with --redis-port the greedy and seeded requests that
      completed are sent again on an emptied cache (FLUSHALL: a drill cluster's Redis only) and compared
  python3 scripts/fault-drill.py burst --gateway URL [--requests N] [--tokens N]
      N short unseeded requests at once (chat, streamed and not, n=1 and 2; Responses streamed); counts the answers

Exit code 1 when any client saw something BAD.
"""
import argparse
import collections
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

MODEL = "deepseek-r1-test-tiny"
LONG = 1900


def chat(stream, temperature=0.0, seed=None, n=1, tokens=LONG, prompt=None):
    body = {"model": MODEL, "messages": [{"role": "user", "content": prompt or f"Drill {uuid.uuid4().hex[:8]}: tell a long story."}],
            "temperature": temperature, "max_tokens": tokens, "min_tokens": tokens, "n": n, "stream": stream}
    if seed is not None:
        body["seed"] = seed
    if stream:
        body["stream_options"] = {"include_usage": True}
    return "/v1/chat/completions", body


def responses(stream, temperature=0.0, seed=None, prompt=None, model=MODEL + ":long"):
    body = {"model": model, "input": prompt or f"Drill {uuid.uuid4().hex[:8]}: tell a long story.", "temperature": temperature, "stream": stream}
    if seed is not None:
        body["seed"] = seed
    return "/v1/responses", body


def send(base, path, body, label):
    """One request; what the client saw, with its events when streamed."""
    seen = {"label": label, "started": time.time()}
    try:
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=900)
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        seen["status"], seen["retry_after"] = response.status, response.getheader("Retry-After")
        if body.get("stream") and response.status == 200:
            seen["events"] = []
            while line := response.readline():
                line = line.decode().rstrip("\n")
                if line.startswith("data: "):
                    seen["events"].append(line[6:])
        else:
            raw = response.read()
            try:
                seen["json"] = json.loads(raw)
            except ValueError:
                seen["raw"] = raw[:300]
    except (OSError, http.client.HTTPException) as error:
        seen["exception"] = repr(error)
    seen["elapsed"] = time.time() - seen["started"]
    return seen


def verdict(seen):
    """('ok' | 'error' | 'BAD', detail)."""
    if "exception" in seen:
        return "BAD", "connection: " + seen["exception"]
    if seen["status"] != 200:
        error = (seen.get("json") or {}).get("error") if isinstance(seen.get("json"), dict) else None
        if error and error.get("message") and error.get("type"):
            return "error", f"{seen['status']} {error.get('code')} (Retry-After {seen['retry_after']})"
        return "BAD", f"{seen['status']} not in OpenAI's shape: {seen.get('raw') or seen.get('json')}"
    if "json" in seen:
        answer = seen["json"]
        if answer.get("object") == "response":
            finished = answer.get("status") == "completed" or (
                answer.get("status") == "incomplete" and (answer.get("incomplete_details") or {}).get("reason") == "max_output_tokens")
            return ("ok", f"response {answer['status']}") if finished else ("BAD", f"200 with response status {answer.get('status')}")
        reasons = [choice.get("finish_reason") for choice in answer.get("choices", [])]
        return ("ok", f"{len(reasons)} choices {reasons}") if reasons and None not in reasons else ("BAD", f"200 with finish reasons {reasons}")
    events = [json.loads(event) for event in seen.get("events", []) if event != "[DONE]"]
    if events and "type" in events[0]:
        last = events[-1].get("type")
        if last in ("response.completed", "response.incomplete"):
            return "ok", f"Responses stream ended {last}"
        if last == "response.failed":
            error = next((event for event in events if event.get("type") == "error"), {})
            return "error", f"Responses stream failed ({error.get('code')})"
        return "BAD", f"Responses stream ended without completed, incomplete or failed (last: {last})"
    done = seen.get("events", [])[-1:] == ["[DONE]"]
    errors = [event["error"] for event in events if "error" in event]
    if errors:
        return ("error", f"stream error event {errors[0].get('code')}, then [DONE]") if done else ("BAD", "error event without [DONE]")
    finished = {choice["index"] for event in events for choice in event.get("choices", []) if choice.get("finish_reason")}
    choices = {choice["index"] for event in events for choice in event.get("choices", [])}
    if not done:
        return "BAD", f"stream ended without [DONE] or an error event ({len(finished)}/{len(choices)} choices finished)"
    return ("ok", f"stream, {len(choices)} choices finished") if finished == choices and choices else ("BAD", f"[DONE] with {len(finished)}/{len(choices)} choices finished")


def text(seen):
    """Each choice's whole text (reasoning and content), to compare runs."""
    if "json" in seen:
        answer = seen["json"]
        if "choices" in answer:
            return [(c["message"].get("reasoning_content") or "") + (c["message"].get("content") or "") for c in answer["choices"]]
        return ["".join(part.get("text", "") for item in answer.get("output", []) for part in (item.get("content") or []) + (item.get("summary") or []))]
    texts = collections.defaultdict(str)
    for event in (json.loads(e) for e in seen.get("events", []) if e != "[DONE]"):
        if event.get("type", "").endswith(".delta"):
            texts[0] += event.get("delta", "")
        for choice in event.get("choices", []):
            delta = choice.get("delta", {})
            texts[choice["index"]] += (delta.get("reasoning_content") or "") + (delta.get("content") or "")
    return [texts[index] for index in sorted(texts)]


def all_at_once(base, requests):
    results = [None] * len(requests)

    def one(index, label, path, body):
        results[index] = send(base, path, body, label)

    threads = [threading.Thread(target=one, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    return threads, results


def load(args, base):
    tag = uuid.uuid4().hex[:6]
    requests = [
        ("chat streamed greedy", *chat(True, prompt=f"Drill {tag} a: tell a long story.")),
        ("chat streamed greedy", *chat(True, prompt=f"Drill {tag} b: tell a long story.")),
        ("chat streamed seeded n=2", *chat(True, 0.9, seed=7, n=2, prompt=f"Drill {tag} c: tell a long story.")),
        ("chat streamed unseeded n=2", *chat(True, 0.9, n=2)),
        ("chat streamed unseeded", *chat(True, 0.9)),
        ("chat whole unseeded n=2", *chat(False, 0.9, n=2)),
        ("chat whole greedy", *chat(False, prompt=f"Drill {tag} d: tell a long story.")),
        ("responses streamed greedy", *responses(True, prompt=f"Drill {tag} e: tell a long story.")),
        ("responses streamed seeded", *responses(True, 0.9, seed=11, prompt=f"Drill {tag} f: tell a long story.")),
        ("responses streamed unseeded", *responses(True, 0.9)),
        ("responses whole greedy", *responses(False, prompt=f"Drill {tag} g: tell a long story.")),
    ]
    threads, results = all_at_once(base, requests)
    time.sleep(args.after)
    fault = subprocess.run(["bash", "-c", args.fault], capture_output=True, text=True)
    print(f"fault at {args.after:.1f} s: {args.fault} (exit {fault.returncode}) {fault.stdout.strip()[:200]}", flush=True)
    for thread in threads:
        thread.join()
    bad = 0
    for seen in sorted(results, key=lambda s: s["label"]):
        kind, detail = verdict(seen)
        bad += kind == "BAD"
        print(f"{kind:5} {seen['label']:28} {seen['elapsed']:6.1f} s  {detail}")
    if args.redis_port:
        subprocess.run(["redis-cli", "-p", str(args.redis_port), "flushall"], capture_output=True, check=True)
        again = [i for i, seen in enumerate(results) if "unseeded" not in seen["label"] and verdict(seen)[0] == "ok"]
        threads, rerun = all_at_once(base, [requests[i] for i in again])
        for thread in threads:
            thread.join()
        equal = sum(text(results[i]) == text(seen) for i, seen in zip(again, rerun))
        bad += len(again) - equal
        print(f"greedy and seeded answers equal to a rerun on an empty cache: {equal}/{len(again)}")
    print(f"{len(results)} requests, {bad} BAD")
    return bad


def burst(args, base):
    requests = []
    for i in range(args.requests):
        kind = i % 4
        if kind == 0:
            requests.append(("chat streamed", *chat(True, 0.9, tokens=args.tokens)))
        elif kind == 1:
            requests.append(("chat whole n=2", *chat(False, 0.9, n=2, tokens=args.tokens)))
        elif kind == 2:
            path, body = responses(True, 0.9, model=MODEL)
            requests.append(("responses streamed", path, {**body, "max_output_tokens": args.tokens}))
        else:
            requests.append(("chat streamed n=2", *chat(True, 0.9, n=2, tokens=args.tokens)))
    started = time.time()
    threads, results = all_at_once(base, requests)
    for thread in threads:
        thread.join()
    counts = collections.Counter((seen["label"], *verdict(seen)) if verdict(seen)[0] != "ok" else (seen["label"], "ok", "") for seen in results)
    for (label, kind, detail), count in sorted(counts.items()):
        print(f"{count:4} {label:20} {kind:5} {detail}")
    print(f"{len(results)} requests in {time.time() - started:.1f} s")
    return sum(count for (_, kind, _), count in counts.items() if kind == "BAD")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["load", "burst"])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--fault", default="true")
    parser.add_argument("--after", type=float, default=2.0)
    parser.add_argument("--redis-port", type=int)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--tokens", type=int, default=100)
    args = parser.parse_args()
    base = urllib.parse.urlparse(args.gateway)
    bad = load(args, base) if args.mode == "load" else burst(args, base)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
