"""English text the byte-level BPE merges are learnt from (written for this project)."""

CORPUS = """\
The weather was calm on the morning the team set out to test the new service. Every request
carried its own settings, so one person asking for a warmer answer did not change the answer
that anyone else received. The queue kept the order of the work, and the workers took their
turns without fighting over the same message.

When a user writes a question, the gateway reads it, checks the limits, and sends it on. The
worker thinks about the question, writes the answer one token at a time, and streams it back.
If the answer is already known, the cache returns it at once. If something goes wrong, the
error says what went wrong and whether trying again could help.

A good test is small and honest. It should fail when the code is wrong and pass when the code
is right. It should not sleep for a long time, and it should not depend on the network. The
model in these tests is tiny: it knows nothing about the world, but it has the same shape as a
real one, and that is all the tests need.

There are three things to remember about time. First, the clock never stops. Second, a request
that waits too long should be cancelled, and the worker should stop spending effort on it.
Third, the people who use the system would rather see a clear message than wait forever.

Numbers appear in text as well: 1, 2, 3, 10, 42, 100, 2048 and 3.14 are all written with the
same ten digits. Questions often end with a question mark? Statements end with a full stop.
Some lines are quoted, "like this one", and some use (parentheses) or a list: apples, pears,
and plums. The user said: "Please explain why the sky is blue." The assistant answered that
light from the sun is scattered by the air, and blue light is scattered more than red light.

def add(a, b):
    return a + b

for item in items:
    print(item)

It is important to think before answering. Let me think about this step by step. First, I
need to understand the question. Then I should check my reasoning and write the final answer.
The answer is therefore the one that follows from the steps above, and I am confident in it.
"""
