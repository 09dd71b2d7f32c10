#!/usr/bin/python3
"""Writes the sweep suite of the trained test model: held-out questions in the curriculum's forms.

    /usr/bin/python3 tools/test-model/make_suite.py --out tools/InferenceCluster.Sweep/suites/test-model.jsonl

Arithmetic is graded by the sweep's math grader (the answer "A + B = N. The answer is N." shows its
working), the Python function by the code grader, "Which is larger" and "even or odd" by the logic
grader. Every operand tuple is one the model never saw in training. Deterministic output.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testmodel import curriculum  # noqa: E402

SEED = "sweep"
COUNTS = {"add": 4, "sub": 4, "mul": 4, "code": 6, "larger": 3, "parity": 3}


def case(skill, ops):
    question, _, _ = curriculum.example(skill, ops)
    case_id = f"{skill}-{'-'.join(map(str, ops))}"
    if skill in ("add", "sub", "mul"):
        return {"id": case_id, "category": "math", "prompt": question, "expected": curriculum.expected(skill, ops)}
    if skill == "code":
        a, b = ops
        tests = [{"call": f"f({x})", "expected": str(x * a + b)} for x in (0, 3, -7)]
        return {"id": case_id, "category": "code", "prompt": question, "tests": tests}
    if skill == "larger":
        big, small = max(ops), min(ops)
        return {"id": case_id, "category": "logic", "prompt": question,
                "required": [[f"the answer is {big}."]], "forbidden": [f"the answer is {small}."]}
    word = curriculum.expected(skill, ops)
    other = "odd" if word == "even" else "even"
    return {"id": case_id, "category": "logic", "prompt": question,
            "required": [[f"the answer is {word}."]], "forbidden": [other]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("// Held-out questions for the trained test model (tools/test-model/make_suite.py writes this file).\n")
        for skill, count in COUNTS.items():
            for ops in curriculum.held_out_set(skill, count, SEED):
                f.write(json.dumps(case(skill, ops), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
