namespace InferenceCluster.Sweep.Suites;

/// <summary>One check of a code case: a Python expression and the Python expression it must equal.</summary>
internal sealed record CodeTest(string Call, string Expected);
