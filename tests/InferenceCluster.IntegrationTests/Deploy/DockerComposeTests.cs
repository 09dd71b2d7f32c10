using InferenceCluster.Inference.Hosting;
using YamlDotNet.RepresentationModel;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so what can be checked is checked: it parses,
/// names the services, passes the variables the code reads, and agrees with the local cluster script.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly YamlMappingNode Services = LoadServices();

    [Fact]
    public void Services_AllPartsOfTheClusterArePresent()
    {
        var names = Services.Children.Keys.Select(key => ((YamlScalarNode)key).Value).ToHashSet();

        Assert.Superset(new HashSet<string?> { "rabbitmq", "redis", "dashboard", "gateway", "worker" }, names);
    }

    [Theory]
    [InlineData("gateway", "ConnectionStrings__rabbitmq")]
    [InlineData("gateway", "ConnectionStrings__redis")]
    [InlineData("gateway", "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("gateway", "ASPNETCORE_URLS")]
    [InlineData("worker", "ConnectionStrings__rabbitmq")]
    [InlineData("worker", "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("worker", "Inference__ModelPath")]
    [InlineData("worker", "Inference__ExecutionProvider")]
    public void Environment_CarriesWhatTheServiceReads(string service, string variable)
    {
        Assert.Contains(variable, Environment(service).Keys);
    }

    [Fact]
    public void WorkerEnvironment_NamesOnlySettingsTheEngineHas()
    {
        foreach (var variable in Environment("worker").Keys.Where(name => name.StartsWith("Inference__", StringComparison.Ordinal)))
        {
            var setting = variable["Inference__".Length..];
            Assert.True(typeof(InferenceOptions).GetProperty(setting) is not null, $"{variable} names no setting of InferenceOptions.");
        }
    }

    [Fact]
    public void Worker_MountsTheModelWhereItsModelPathPointsAndReservesAGpu()
    {
        var worker = (YamlMappingNode)Services["worker"];
        var modelPath = Environment("worker")["Inference__ModelPath"];
        var volumes = ((YamlSequenceNode)worker["volumes"]).Children.Select(node => ((YamlScalarNode)node).Value!);
        Assert.Contains(volumes, volume => volume.Split(':').Contains(modelPath));

        var devices = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)worker["deploy"])["resources"])["reservations"])["devices"];
        Assert.Contains(devices.Children.Cast<YamlMappingNode>(), device => ((YamlScalarNode)device["driver"]).Value == "nvidia");
        Assert.True(((YamlMappingNode)worker["deploy"]).Children.ContainsKey(new YamlScalarNode("replicas")));
    }

    [Theory]
    [InlineData("ConnectionStrings__rabbitmq")]
    [InlineData("ConnectionStrings__redis")]
    public void LocalClusterScript_UsesTheSameVariables(string variable)
    {
        Assert.Contains(variable, File.ReadAllText(Path.Combine(Root, "deploy", "local", "cluster.sh")), StringComparison.Ordinal);
        Assert.Contains(variable, Environment("gateway").Keys);
    }

    /// <summary>A service's environment with YAML merge keys (<c>&lt;&lt;: [*a, *b]</c>) applied, as Compose does.</summary>
    private static Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Merge((YamlMappingNode)((YamlMappingNode)Services[service])["environment"], result);
        return result;
    }

    private static void Merge(YamlMappingNode mapping, Dictionary<string, string> into)
    {
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<")
            {
                var sources = value is YamlSequenceNode list ? list.Children : [value];
                foreach (var source in sources)
                {
                    Merge((YamlMappingNode)source, into);
                }
            }
            else
            {
                into[name] = ((YamlScalarNode)value).Value ?? string.Empty;
            }
        }
    }

    private static YamlMappingNode LoadServices()
    {
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "docker-compose.yml")) && File.Exists(Path.Combine(folder.FullName, "InferenceCluster.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No repository root (docker-compose.yml beside InferenceCluster.sln) above {AppContext.BaseDirectory}.");
    }
}
