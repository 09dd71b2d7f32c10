using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.ServiceDefaults.Listener;

/// <summary>
/// Checks <see cref="MetricsListenerOptions"/> at start with messages that name the keys as the operator sets them
/// (<c>Worker:MetricsPort</c>), which the options class alone cannot: the section is the service's choice.
/// </summary>
internal sealed partial class MetricsListenerOptionsValidator(string sectionName) : IValidateOptions<MetricsListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsListenerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MetricsPort is < 0 or > 65535)
        {
            failures.Add($"{sectionName}:MetricsPort must lie between 0 (any free port) and 65535; got {options.MetricsPort}.");
        }

        if (string.IsNullOrEmpty(options.MetricsAddress) || !Address().IsMatch(options.MetricsAddress))
        {
            failures.Add($"{sectionName}:MetricsAddress must be an IP address, 'localhost', '+' or '*'; got '{options.MetricsAddress}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^(\+|\*|localhost|[0-9.]+|\[[0-9A-Fa-f:.]+\])$")]
    private static partial Regex Address();
}
