namespace InferenceCluster.Contracts;

/// <summary>
/// Constrained decoding: the output must match <see cref="Data"/>, read as <see cref="Type"/>
/// (<c>json_schema</c>, <c>regex</c> or <c>lark_grammar</c>).
/// </summary>
public sealed record GenerationGuidance(string Type, string Data);
