namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// Where the worker and gateway executables of this build are: the projects' own output folders, in the
/// configuration this test assembly was built in (the test project references both, so they are built first).
/// </summary>
internal static class BuildOutput
{
    public static string Worker => Assembly("worker", "InferenceCluster.Worker");

    public static string Gateway => Assembly("gateway", "InferenceCluster.Gateway");

    private static string Assembly(string folder, string project)
    {
        // The test assembly sits in tests/<project>/bin/<configuration>/<framework>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "InferenceCluster.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No InferenceCluster.sln above {AppContext.BaseDirectory}: the drills run from the repository's build output.");
        }

        return Path.Combine(root.FullName, folder, project, "bin", configuration, framework, project + ".dll");
    }
}
