namespace InferenceCluster.Contracts;

/// <summary>Log-probability of one generated token and, when asked, its most likely alternatives.</summary>
public sealed record TokenLogprob(string Token, double Logprob, IReadOnlyList<TopLogprob> Top);

/// <summary>One alternative at a position.</summary>
public sealed record TopLogprob(string Token, double Logprob);
