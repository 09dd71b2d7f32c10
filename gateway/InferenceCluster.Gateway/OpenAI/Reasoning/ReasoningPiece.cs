namespace InferenceCluster.Gateway.OpenAI.Reasoning;

/// <summary>Text split into the part that belongs to the reasoning and the part that belongs to the answer.</summary>
internal readonly record struct ReasoningPiece(string Reasoning, string Content)
{
    public bool IsEmpty => Reasoning.Length == 0 && Content.Length == 0;
}
