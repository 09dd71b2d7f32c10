"""The generated curriculum: questions in fixed forms, step-by-step reasoning, a short answer.

Every example is (skill, operands, question, reasoning, answer). The model sees
"<｜User｜>question<｜Assistant｜><think>\\nreasoning\\n</think>\\n\\nanswer<｜end▁of▁sentence｜>",
which is DeepSeek-R1's chat template with the reasoning it opens. Arithmetic goes digit by digit
from the ones, after writing both numbers with three digits, so every step reads digits at a
fixed place.

A deterministic tenth of each skill's operand tuples is held out: it never appears in training
and is what accuracy is measured on.
"""
import hashlib
import random

SKILLS = ("add", "sub", "mul", "larger", "parity", "code")
PLACES = ("Ones", "Tens", "Hundreds")


def held_out(skill, operands):
    """True for the tenth of each skill's operand tuples kept out of training."""
    key = f"{skill}:{','.join(map(str, operands))}".encode()
    return hashlib.sha256(key).digest()[0] < 26


def _digits(n):
    return [int(c) for c in f"{n:03d}"]


def _add(a, b):
    da, db = _digits(a), _digits(b)
    lines = [f"Line up: {a:03d} + {b:03d}"]
    carry = 0
    for i, place in enumerate(PLACES):
        x, y = da[2 - i], db[2 - i]
        s = x + y + carry
        lines.append(f"{place}: {x} + {y} + {carry} = {s}. Write {s % 10}, carry {s // 10}.")
        carry = s // 10
    if carry:
        lines.append("Thousands: write the carry 1.")
    lines.append(f"So {a} + {b} = {a + b}.")
    return f"What is {a} + {b}?", lines, f"{a} + {b} = {a + b}. The answer is {a + b}."


def _sub(a, b):
    da, db = _digits(a), _digits(b)
    lines = [f"Line up: {a:03d} - {b:03d}"]
    borrow = 0
    for i, place in enumerate(PLACES):
        x, y = da[2 - i], db[2 - i]
        if x - y - borrow >= 0:
            d = x - y - borrow
            lines.append(f"{place}: {x} - {y} - {borrow} = {d}. Write {d}, borrow 0.")
            borrow = 0
        else:
            d = 10 + x - y - borrow
            lines.append(f"{place}: {x} - {y} - {borrow} is below 0, so 1{x} - {y} - {borrow} = {d}. Write {d}, borrow 1.")
            borrow = 1
    lines.append(f"So {a} - {b} = {a - b}.")
    return f"What is {a} - {b}?", lines, f"{a} - {b} = {a - b}. The answer is {a - b}."


def _mul(a, b):
    da = _digits(a)
    lines = [f"Line up: {a:03d} * {b}"]
    carry = 0
    for i, place in enumerate(PLACES):
        x = da[2 - i]
        s = x * b + carry
        lines.append(f"{place}: {x} * {b} + {carry} = {x * b} + {carry} = {s}. Write {s % 10}, carry {s // 10}.")
        carry = s // 10
    lines.append(f"So {a} * {b} = {a * b}.")
    return f"What is {a} * {b}?", lines, f"{a} * {b} = {a * b}. The answer is {a * b}."


def _larger(a, b):
    da, db = _digits(a), _digits(b)
    lines = [f"Line up: {a:03d} and {b:03d}"]
    for i, place in enumerate(reversed(PLACES)):
        x, y = da[i], db[i]
        if x == y:
            lines.append(f"{place}: {x} and {y} are equal.")
        else:
            big = a if x > y else b
            lines.append(f"{place}: {x} and {y} differ, and {max(x, y)} is larger, so {big} is larger.")
            break
    big, small = max(a, b), min(a, b)
    return f"Which is larger, {a} or {b}?", lines, f"{big} is larger than {small}. The answer is {big}."


def _parity(n):
    last = n % 10
    word = "even" if last % 2 == 0 else "odd"
    lines = [f"The last digit of {n} is {last}.", f"{last} is {word}, so {n} is {word}."]
    return f"Is {n} even or odd?", lines, f"{n} is {word}. The answer is {word}."


def _code(a, b):
    lines = [f"f(x) multiplies x by {a} and then adds {b}.", f"So f(x) returns x * {a} + {b}."]
    answer = f"```python\ndef f(x):\n    return x * {a} + {b}\n```"
    return f"Write a Python function f(x) that returns x * {a} + {b}.", lines, answer


def operands(skill, rng):
    """A random operand tuple of the skill, in the ranges the questions allow."""
    if skill in ("add", "code"):
        return rng.randint(0, 999), rng.randint(0, 999)
    if skill == "sub":
        a, b = rng.randint(0, 999), rng.randint(0, 999)
        return max(a, b), min(a, b)
    if skill == "mul":
        return rng.randint(0, 99), rng.randint(0, 9)
    if skill == "larger":
        a = rng.randint(0, 999)
        b = rng.randint(0, 998)
        return a, b + (b >= a)
    return (rng.randint(0, 999),)


def example(skill, ops):
    """(question, reasoning, answer) of one operand tuple."""
    question, lines, answer = {"add": _add, "sub": _sub, "mul": _mul, "larger": _larger,
                               "parity": _parity, "code": _code}[skill](*ops)
    return question, "\n".join(lines), answer


def expected(skill, ops):
    """What a correct answer states: the number or word after "The answer is", or the code's body."""
    if skill == "add":
        return str(ops[0] + ops[1])
    if skill == "sub":
        return str(ops[0] - ops[1])
    if skill == "mul":
        return str(ops[0] * ops[1])
    if skill == "larger":
        return str(max(ops))
    if skill == "parity":
        return "even" if ops[0] % 2 == 0 else "odd"
    return f"return x * {ops[0]} + {ops[1]}"


def is_correct(skill, ops, answer):
    """Grades an answer (the text after </think>) the way the sweep's graders would."""
    want = expected(skill, ops)
    if skill == "code":
        return "```python\ndef f(x):\n    " + want + "\n```" in answer
    return answer.rstrip().endswith(f"The answer is {want}.")


def sample(skill, rng, training):
    """Operands of the skill from the training side (training=True) or the held-out side."""
    while True:
        ops = operands(skill, rng)
        if held_out(skill, ops) != training:
            return ops


def held_out_total(skill):
    """How many distinct held-out operand tuples the skill has, or None when they are too many to count."""
    if skill == "parity":
        return sum(held_out(skill, (n,)) for n in range(1000))
    if skill == "mul":
        return sum(held_out(skill, (a, b)) for a in range(100) for b in range(10))
    return None


def held_out_set(skill, count, seed):
    """A fixed list of distinct held-out operand tuples of the skill; all of them when it has fewer than count."""
    total = held_out_total(skill)
    if total is not None:
        # Parity and products have about a hundred held-out tuples each: asking for more would never end.
        count = min(count, total)
    rng = random.Random(f"{seed}:{skill}")
    seen, out = set(), []
    while len(out) < count:
        ops = sample(skill, rng, training=False)
        if ops not in seen:
            seen.add(ops)
            out.append(ops)
    return out


def merge_text():
    """A fixed sample of the curriculum that the tokenizer's merges are learnt from."""
    rng = random.Random(7)
    parts = []
    for _ in range(40):
        for skill in SKILLS:
            question, reasoning, answer = example(skill, operands(skill, rng))
            parts.append(f"{question}\n{reasoning}\n{answer}\n")
    return "\n".join(parts)
