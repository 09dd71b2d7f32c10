namespace InferenceCluster.Sweep.Suites;

/// <summary>Which grader judges a case.</summary>
public enum CaseCategory
{
    /// <summary>Numeric final answer plus visible working.</summary>
    Math,

    /// <summary>A Python function run against tests.</summary>
    Code,

    /// <summary>Required conclusions present, forbidden ones absent.</summary>
    Logic,
}
