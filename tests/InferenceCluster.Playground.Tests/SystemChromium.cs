namespace InferenceCluster.Playground.Tests;

/// <summary>
/// The browser is Debian's chromium package, never one Playwright downloads. Missing, it fails the tests
/// with a message saying how to install it (scripts/test.sh does); these tests never skip.
/// </summary>
internal static class SystemChromium
{
    public const string Variable = "PLAYGROUND_CHROMIUM";
    private const string DebianPath = "/usr/bin/chromium";

    public static string Path()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : DebianPath;
        if (File.Exists(path))
        {
            return path;
        }

        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        throw new InvalidOperationException(
            $"The playground tests need Chromium at {path}: install Debian's package (apt-get install chromium) or run " +
            $"`bash scripts/test.sh`, which installs it; {Variable} names another executable." +
            (ci ? " CI=true: a missing browser is a failure." : string.Empty));
    }
}
