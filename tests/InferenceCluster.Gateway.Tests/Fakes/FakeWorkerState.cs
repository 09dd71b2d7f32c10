using System.Collections.Concurrent;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>What the fake worker saw: commands received and cancellations.</summary>
public sealed class FakeWorkerState
{
    public ConcurrentQueue<GenerateCompletion> Received { get; } = new();

    public ConcurrentDictionary<Guid, bool> Cancelled { get; } = new();

    public int CountFor(string lastUserMessage) => Received.Count(command => command.Messages?[^1].Content == lastUserMessage);

    public GenerateCompletion Last(string lastUserMessage) => Received.Last(command => command.Messages?[^1].Content == lastUserMessage);
}
