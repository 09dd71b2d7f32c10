namespace InferenceCluster.Sweep.Tests.Fakes;

/// <summary>What the fake server answers: content, finish reason, and optionally an HTTP error instead.</summary>
internal sealed record FakeReply(string Content, string FinishReason = "stop", int Status = 200, string? Error = null);
