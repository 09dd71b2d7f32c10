namespace InferenceCluster.Sweep.Reporting;

/// <summary>Figures of one category at one grid point.</summary>
/// <param name="Answers">Graded answers in the category.</param>
/// <param name="Accuracy">Share that passed.</param>
/// <param name="MeanTokens">Mean completion tokens.</param>
/// <param name="P95Tokens">95th percentile of completion tokens (nearest rank).</param>
public sealed record CategoryFigures(int Answers, double Accuracy, double MeanTokens, int P95Tokens);
