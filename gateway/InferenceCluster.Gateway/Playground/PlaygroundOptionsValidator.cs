using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Playground;

/// <summary>A trace link template must be an absolute http(s) address holding the trace id placeholder.</summary>
internal sealed class PlaygroundOptionsValidator : IValidateOptions<PlaygroundOptions>
{
    private const string Key = PlaygroundOptions.SectionName + ":TraceUrlTemplate";

    public ValidateOptionsResult Validate(string? name, PlaygroundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var template = options.TraceUrlTemplate;
        if (string.IsNullOrWhiteSpace(template))
        {
            return ValidateOptionsResult.Success;
        }

        if (!template.Contains(PlaygroundOptions.TraceIdPlaceholder, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Fail($"{Key} must contain {PlaygroundOptions.TraceIdPlaceholder}; got '{template}'.");
        }

        var sample = template.Replace(PlaygroundOptions.TraceIdPlaceholder, "0af7651916cd43dd8448eb211c80319c", StringComparison.Ordinal);
        return Uri.TryCreate(sample, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{Key} must be an absolute http or https address; got '{template}'.");
    }
}
