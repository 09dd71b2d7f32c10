using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Refuses, naming its key, a log level the logging configuration cannot read (<c>Logging:LogLevel:*</c> and
/// <c>Logging:{provider}:LogLevel:*</c>): the framework throws a bare "Configuration value is not supported" while it
/// builds the logger factory, and the service crashed with a stack trace instead of exiting 78. Registered ahead of the
/// framework's own reading of the same keys, it reads them by the same rule.
/// </summary>
internal sealed class LogLevelSettingsCheck(IConfiguration configuration) : IConfigureOptions<LoggerFilterOptions>
{
    private const string SectionName = "Logging";
    private const string LevelsName = "LogLevel";

    /// <inheritdoc />
    public void Configure(LoggerFilterOptions options)
    {
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var levels = string.Equals(section.Key, LevelsName, StringComparison.OrdinalIgnoreCase) ? section : section.GetSection(LevelsName);
            // Every key under the levels, nested ones (Foo:Bar) too: the framework reads them all, each as a category.
            foreach (var (key, value) in levels.AsEnumerable(makePathsRelative: true))
            {
                if (!string.IsNullOrEmpty(value) && !Enum.TryParse<LogLevel>(value, ignoreCase: true, out _))
                {
                    var path = ConfigurationPath.Combine(levels.Path, key);
                    throw new InvalidSettingException(
                        $"{path} (environment variable {path.Replace(":", "__", StringComparison.Ordinal)}) must be a log level: " +
                        "Trace, Debug, Information, Warning, Error, Critical or None.");
                }
            }
        }
    }
}
