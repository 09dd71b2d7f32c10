using YamlDotNet.RepresentationModel;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// The drain grace each service is given (Worker__DrainGrace, Gateway__DrainGrace) must end, with the few
/// seconds a service needs to close after it, before the orchestrator kills the process.
/// </summary>
public sealed class DrainGraceTests
{
    /// <summary>What a service needs after its grace: cancelled requests end, the bus closes.</summary>
    private static readonly TimeSpan CloseMargin = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("deploy/k8s/worker.yaml", "Worker__DrainGrace")]
    [InlineData("deploy/k8s/gateway.yaml", "Gateway__DrainGrace")]
    public void KubernetesDeployment_DrainGracePlusMarginFitsTheTerminationGrace(string manifest, string variable)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(Root(), manifest)))
        {
            stream.Load(reader);
        }

        var podSpec = (YamlMappingNode)Node(stream.Documents[0].RootNode, "spec", "template", "spec");
        var termination = TimeSpan.FromSeconds(int.Parse(((YamlScalarNode)podSpec["terminationGracePeriodSeconds"]).Value!, System.Globalization.CultureInfo.InvariantCulture));
        var container = (YamlMappingNode)((YamlSequenceNode)podSpec["containers"]).Children[0];
        var grace = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>()
            .Where(entry => ((YamlScalarNode)entry["name"]).Value == variable)
            .Select(entry => TimeSpan.Parse(((YamlScalarNode)entry["value"]).Value!, System.Globalization.CultureInfo.InvariantCulture))
            .Single();

        Assert.True(grace + CloseMargin <= termination, $"{manifest}: {variable} {grace} + {CloseMargin} close margin exceeds terminationGracePeriodSeconds {termination.TotalSeconds}");
    }

    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "InferenceCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No InferenceCluster.sln above the test output.");
    }
}
