using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// A Dockerfile copies the source folders its build needs one by one, and no Docker engine runs here to find one
/// missing: every project the published service references, directly or through another, must be copied.
/// </summary>
public sealed partial class DockerfileSourcesTests
{
    [Theory]
    [InlineData("gateway.Dockerfile", "gateway/InferenceCluster.Gateway/InferenceCluster.Gateway.csproj")]
    [InlineData("worker.Dockerfile", "worker/InferenceCluster.Worker/InferenceCluster.Worker.csproj")]
    public void Dockerfile_CopiesEveryProjectThePublishedServiceReferences(string dockerfile, string project)
    {
        var copied = CopiedFolder().Matches(DeployFiles.Text("deploy", "docker", dockerfile)).Select(match => match.Groups["source"].Value).ToList();

        foreach (var folder in ProjectFolders(project))
        {
            Assert.True(
                copied.Any(source => (folder + "/").StartsWith(source, StringComparison.Ordinal)),
                $"{dockerfile} copies no folder holding {folder}, which {project} references; it copies {string.Join(", ", copied)}");
        }
    }

    /// <summary>The folders (relative to the repository, '/'-separated) of a project and of every project it references.</summary>
    private static HashSet<string> ProjectFolders(string project)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(Path.Combine(DeployFiles.Root, project))]);
        while (pending.TryPop(out var path))
        {
            var folder = Path.GetDirectoryName(path)!;
            if (!folders.Add(Path.GetRelativePath(DeployFiles.Root, folder).Replace('\\', '/')))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(path).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            }
        }

        return folders;
    }

    [GeneratedRegex(@"^COPY\s+(?!--from)(?<source>\S+/)\s", RegexOptions.Multiline)]
    private static partial Regex CopiedFolder();
}
