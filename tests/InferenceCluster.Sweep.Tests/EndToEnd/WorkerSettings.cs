namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>The sampling settings of one request as the worker's prefill span recorded them.</summary>
internal sealed record WorkerSettings(string RequestId, double Temperature, double TopP, int MaxTokens, double RepetitionPenalty, long? Seed);
