using InferenceCluster.Contracts;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Checks the server's sampling defaults at start against the rules of <see cref="SamplingSettings"/>, naming each bad key;
/// a value not configured is checked as the built-in one it stands for (a MinTokens above the built-in MaxTokens).
/// </summary>
internal sealed class SamplingDefaultsValidator : IValidateOptions<SamplingSettings>
{
    public const string SectionName = "Gateway:Defaults";

    public ValidateOptionsResult Validate(string? name, SamplingSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = ServerDefaults.WithBuiltIn(options).Violations(param => PolicyParams.SettingKey(SectionName, param)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
