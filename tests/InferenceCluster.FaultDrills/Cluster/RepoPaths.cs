namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>Where the repository's scripts and the worker executable built with this test project are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ServersScript => Path.Combine(Root, "deploy", "local", "servers.sh");

    /// <summary>The worker executable of the same build configuration as this test assembly.</summary>
    public static string WorkerDll
    {
        get
        {
            // This assembly lives in bin/<Configuration>/<framework>/.
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var path = Path.Combine(Root, "worker", "InferenceCluster.Worker", "bin", configuration, framework.Name, "InferenceCluster.Worker.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The worker executable was not built at {path}.", path);
        }
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

        throw new InvalidOperationException($"No InferenceCluster.sln above {AppContext.BaseDirectory}.");
    }
}
