namespace InferenceCluster.Sweep.Grading;

/// <summary>Where a reasoning model's thinking starts, which decides what text without tags is.</summary>
public enum ReasoningStart
{
    /// <summary>
    /// The server's chat template opens the reasoning itself (DeepSeek-R1's ends the prompt with
    /// "&lt;think&gt;\n", as this cluster's models do), so the content starts inside the thinking and
    /// only text after "&lt;/think&gt;" is an answer.
    /// </summary>
    Opened,

    /// <summary>The model writes its own "&lt;think&gt;" (or none at all): text without tags is the answer.</summary>
    Tagged,
}
