using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Playground;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.ServiceDefaults.Listener;
using InferenceCluster.Worker;
using YamlDotNet.RepresentationModel;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>Reads the repository's deployment files (compose, Dockerfiles, Kubernetes manifests) as YAML or text.</summary>
internal static class DeployFiles
{
    public static readonly string Root = FindRepositoryRoot();

    public static string Text(params string[] relative) => File.ReadAllText(Path.Combine([Root, .. relative]));

    /// <summary>Every document of a YAML file (a manifest may hold several, separated by <c>---</c>).</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(params string[] relative)
    {
        using var reader = new StreamReader(Path.Combine([Root, .. relative]));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return [.. yaml.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    public static YamlSequenceNode List(this YamlNode node, string key) => (YamlSequenceNode)((YamlMappingNode)node)[key];

    public static string Scalar(this YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value ?? string.Empty;

    public static bool Has(this YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>A mapping's entries with YAML merge keys (<c>&lt;&lt;: [*a, *b]</c>) applied, as Compose does.</summary>
    public static Dictionary<string, string> Merged(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Merge(mapping, result);
        return result;
    }

    /// <summary>
    /// False when a variable names a worker setting (<c>Inference__X</c>, <c>Worker__X</c>) that no options type of the
    /// worker has, the typo a deployment file would otherwise carry silently.
    /// </summary>
    public static bool IsKnownWorkerSetting(string variable)
    {
        var parts = variable.Split("__");
        return parts[0] switch
        {
            "Inference" => typeof(InferenceOptions).GetProperty(parts[1]) is not null,
            "Worker" => typeof(WorkerOptions).GetProperty(parts[1]) is not null || typeof(MetricsListenerOptions).GetProperty(parts[1]) is not null,
            "ConnectionStrings" => parts[1] == "rabbitmq",
            _ => IsOtherSetting(parts),
        };
    }

    /// <summary>
    /// False when a variable names a gateway setting (<c>Gateway__X</c>, <c>Gateway__Cache__X</c>, …) that no options type
    /// of the gateway has, or a section neither service reads (<c>Gatway__DrainGrace</c>): the gateway would start with the
    /// default and say nothing.
    /// </summary>
    public static bool IsKnownGatewaySetting(string variable)
    {
        var parts = variable.Split("__");
        return parts[0] switch
        {
            "Gateway" => parts.Length > 1 && IsGatewayKey(parts),
            "ConnectionStrings" => parts[1] is "rabbitmq" or "redis",

            // The embedded worker's.
            "Inference" or "Worker" => IsKnownWorkerSetting(variable),
            _ => IsOtherSetting(parts),
        };
    }

    private static bool IsGatewayKey(string[] parts) => parts[1] switch
    {
        "Defaults" => parts.Length == 3 && HasProperty(typeof(SamplingSettings), parts[2]),
        "Playground" => parts.Length == 3 && HasProperty(typeof(PlaygroundOptions), parts[2]),
        "Cache" => parts.Length == 3 && (HasProperty(typeof(CompletionCacheOptions), parts[2]) || HasProperty(typeof(RedisOptions), parts[2])),

        // Keyed by the operator's own names (profiles, keys, bands).
        "Profiles" or "CoupledTopP" or "ApiKeys" => true,
        _ => parts.Length == 2 && (HasProperty(typeof(GatewayOptions), parts[1]) || HasProperty(typeof(PolicyOptions), parts[1])),
    };

    /// <summary>
    /// A variable that is no .NET setting (ASPNETCORE_URLS, OTEL_*, which the services check themselves) or one of the
    /// framework's sections; any other section is one neither service reads (a typo such as <c>Workr__Id</c>).
    /// </summary>
    private static bool IsOtherSetting(string[] parts) => parts.Length == 1 || parts[0] is "Logging" or "ReverseProxy" or "Kestrel";

    private static bool HasProperty(Type type, string name) => type.GetProperty(name) is not null;

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
