namespace InferenceCluster.Inference.Output;

/// <summary>What a generation path (engine loop or classic generator) reports for one request, before text decoding.</summary>
internal abstract record PathOutput;
