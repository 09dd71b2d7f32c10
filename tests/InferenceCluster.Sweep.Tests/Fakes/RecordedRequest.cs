using System.Text.Json.Nodes;

namespace InferenceCluster.Sweep.Tests.Fakes;

/// <summary>One request as the fake server received it.</summary>
internal sealed record RecordedRequest(JsonObject Body, string? Authorization)
{
    public string Prompt => Body["messages"]![0]!["content"]!.GetValue<string>();

    public double Temperature => Body["temperature"]!.GetValue<double>();

    public double TopP => Body["top_p"]!.GetValue<double>();

    public int MaxTokens => Body["max_tokens"]!.GetValue<int>();

    public long Seed => Body["seed"]!.GetValue<long>();

    public double RepetitionPenalty => Body["repetition_penalty"]!.GetValue<double>();
}
