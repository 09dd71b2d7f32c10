namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// What the drills take from the repository: the worker and gateway executables of this build (the projects'
/// own output folders, in the configuration this test assembly was built in; the test project references both,
/// so they are built first) and the server functions of deploy/local/servers.sh.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Worker => Assembly("worker", "InferenceCluster.Worker");

    public static string Gateway => Assembly("gateway", "InferenceCluster.Gateway");

    public static string ServersScript => Path.Combine(Root, "deploy", "local", "servers.sh");

    private static string Assembly(string folder, string project)
    {
        // The test assembly sits in tests/<project>/bin/<configuration>/<framework>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, folder, project, "bin", output.Parent!.Name, output.Name, project + ".dll");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InferenceCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No InferenceCluster.sln above {AppContext.BaseDirectory}: the drills run from the repository's build output.");
    }
}
