namespace InferenceCluster.Sweep.Tests.Fakes;

/// <summary>Hand-written correct answers to the default suite, each after a reasoning section, keyed by case id.</summary>
internal static class ReferenceAnswers
{
    private const string Think = "<think>Let me think. Maybe the answer is 7? No.</think>\n\n";

    public static readonly IReadOnlyDictionary<string, string> ById = new Dictionary<string, string>
    {
        ["math-seq-term"] = Think + "The n-th term is a_n = a_1 + (n-1)d with a_1 = 7 and d = 4.\nSo a_30 = 7 + 29 \\times 4 = 7 + 116 = 123.\n\n\\boxed{123}",
        ["math-seq-sum"] = Think + "S_n = n/2 (2a + (n-1)d) = 20/2 (6 + 19*5) = 10 * 101.\n\n\\boxed{1010}",
        ["math-tank"] = Think + "Net inflow is 12 - 4.5 = 7.5 L/min, so after 16 minutes: 30 + 16*7.5 = 150.\n\n\\boxed{150}",
        ["math-discount"] = Think + "The discounted price is 80% of the original: 0.8 x = 80, so x = 80 / 0.8.\n\n\\boxed{100}",
        ["math-choose"] = Think + "C(7,3) = 7*6*5 / 3! = 210 / 6.\n\n\\boxed{35}",
        ["code-run-length"] = Think + "```python\ndef run_length(s):\n    out = []\n    for ch in s:\n        if out and out[-1][0] == ch:\n            out[-1] = (ch, out[-1][1] + 1)\n        else:\n            out.append((ch, 1))\n    return out\n```",
        ["code-nth-term"] = Think + "```python\ndef nth_term(a, d, n):\n    return a + (n - 1) * d\n```",
        ["code-balanced"] = Think + "```python\ndef is_balanced(s):\n    pairs = {')': '(', ']': '[', '}': '{'}\n    stack = []\n    for ch in s:\n        if ch in '([{':\n            stack.append(ch)\n        elif ch in pairs:\n            if not stack or stack.pop() != pairs[ch]:\n                return False\n    return not stack\n```",
        ["code-top-words"] = Think + "```python\nfrom collections import Counter\n\ndef top_words(text, k):\n    counts = Counter(text.lower().split())\n    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]\n```",
        ["code-merge-intervals"] = Think + "```python\ndef merge_intervals(intervals):\n    out = []\n    for s, e in sorted(intervals):\n        if out and s <= out[-1][1]:\n            out[-1][1] = max(out[-1][1], e)\n        else:\n            out.append([s, e])\n    return out\n```",
        ["logic-undistributed-middle"] = Think + "It does not necessarily follow: the flowers that fade quickly may be other flowers, not roses (undistributed middle).",
        ["logic-affirming-consequent"] = Think + "It does not necessarily follow. This is affirming the consequent: the queue could be caused by something else.",
        ["logic-modus-ponens"] = Think + "It follows. The condition is met, so by modus ponens the output is reproducible.",
        ["logic-some-not"] = Think + "It follows: the engineers who are managers do not write code.",
        ["logic-converse"] = Think + "It does not necessarily follow. That is the converse: a response can be deterministic without being cached.",
    };
}
