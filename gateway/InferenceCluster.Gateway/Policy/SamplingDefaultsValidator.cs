using InferenceCluster.Contracts;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Checks the server's sampling defaults at start against the rules of <see cref="SamplingSettings"/>, naming each bad key.
/// Only what is configured is checked: a MinTokens above the built-in MaxTokens binds only requests without a max_tokens
/// of their own, and the merge lowers it for them and reports it.
/// </summary>
internal sealed class SamplingDefaultsValidator : IValidateOptions<SamplingSettings>
{
    public const string SectionName = "Gateway:Defaults";

    public ValidateOptionsResult Validate(string? name, SamplingSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Violations(param => PolicyParams.SettingKey(SectionName, param)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
