using System.Globalization;
using InferenceCluster.Contracts;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Checks the server's sampling defaults at start against the rules of <see cref="SamplingSettings"/>, naming each bad key.
/// The section's MinTokens is weighed against the section's own ceiling, the MaxTokens it runs with: the one configured
/// beside it, else the built-in one that stands in for it. A MinTokens of 1500 alone is then refused as 1500 next to a
/// MaxTokens of 1024 is, since both lower the floor of every request without a max_tokens of its own. A ceiling from
/// another section (a profile's MaxTokens) is not weighed here: a floor above it is a working setup, lowered per request.
/// </summary>
internal sealed class SamplingDefaultsValidator : IValidateOptions<SamplingSettings>
{
    public const string SectionName = "Gateway:Defaults";

    public ValidateOptionsResult Validate(string? name, SamplingSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Violations(param => PolicyParams.SettingKey(SectionName, param)).ToList();
        var builtInCeiling = ServerDefaults.BuiltIn.MaxTokens!.Value;
        if (options.MaxTokens is null && options.MinTokens is { } floor && floor > builtInCeiling)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{PolicyParams.SettingKey(SectionName, PolicyParams.MinTokens)} ({floor}) must not exceed the built-in {PolicyParams.SettingKey(SectionName, PolicyParams.MaxTokens)} ({builtInCeiling}) it runs with when none is configured: every request would have its floor lowered; configure a MaxTokens of at least {floor} beside it."));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
