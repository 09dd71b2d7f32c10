using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so what can be checked is checked: it parses,
/// needs no variable, names the images by their usual names, passes the variables the code reads, and
/// agrees with the Dockerfiles, the Prometheus config and the local cluster script.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly YamlMappingNode Services = DeployFiles.Documents("docker-compose.yml")[0].Map("services");
    private static readonly YamlMappingNode GpuServices = DeployFiles.Documents("deploy", "docker", "compose.gpu.yml")[0].Map("services");

    [Fact]
    public void Services_AllPartsOfTheClusterArePresent()
    {
        var names = Services.Children.Keys.Select(key => ((YamlScalarNode)key).Value).ToHashSet();

        Assert.Superset(new HashSet<string?> { "rabbitmq", "redis", "dashboard", "gateway", "worker", "prometheus", "grafana" }, names);
    }

    [Theory]
    [InlineData("prometheus")]
    [InlineData("grafana")]
    public void MonitoringServices_StartOnlyWithTheMonitoringProfile(string service)
    {
        var profiles = Services[service].List("profiles").Children.Select(node => ((YamlScalarNode)node).Value);

        Assert.Equal(["monitoring"], profiles);
        Assert.False(Services["gateway"].Has("profiles"));
        Assert.False(Services["worker"].Has("profiles"));
    }

    [Fact]
    public void ComposeFile_RequiresNoVariable()
    {
        // ${NAME:?message} and ${NAME?message} make `docker compose up` refuse to start while NAME is unset.
        var required = RequiredVariable().Matches(DeployFiles.Text("docker-compose.yml")).Select(match => match.Value).ToList();

        Assert.Empty(required);
    }

    [Fact]
    public void Dashboard_IsTheAspireDashboardByItsUsualName()
    {
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspire-dashboard:", Services["dashboard"].Scalar("image"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway.Dockerfile", "mcr.microsoft.com/dotnet/sdk:10.0")]
    [InlineData("gateway.Dockerfile", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("worker.Dockerfile", "mcr.microsoft.com/dotnet/sdk:10.0")]
    [InlineData("worker.Dockerfile", "mcr.microsoft.com/dotnet/runtime-deps:10.0")]
    public void Dockerfiles_NameTheDotNetImagesByTheirUsualNamesByDefault(string dockerfile, string image)
    {
        var defaults = ArgDefault().Matches(DeployFiles.Text("deploy", "docker", dockerfile)).Select(match => match.Groups["value"].Value);

        Assert.Contains(image, defaults);
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
    [InlineData("worker", "Worker__MetricsPort")]
    [InlineData("worker", "Worker__MetricsAddress")]
    public void Environment_CarriesWhatTheServiceReads(string service, string variable)
    {
        Assert.Contains(variable, Environment(Services, service).Keys);
    }

    [Fact]
    public void WorkerEnvironment_NamesOnlySettingsTheWorkerHas()
    {
        var environment = Environment(Services, "worker").Concat(Environment(GpuServices, "worker"));
        foreach (var (variable, _) in environment)
        {
            var known = DeployFiles.IsKnownWorkerSetting(variable);
            Assert.True(known, $"{variable} names no setting the worker reads.");
        }
    }

    [Fact]
    public void GatewayEnvironment_NamesOnlySettingsTheGatewayHas()
    {
        foreach (var (variable, _) in Environment(Services, "gateway"))
        {
            var known = DeployFiles.IsKnownGatewaySetting(variable);
            Assert.True(known, $"{variable} names no setting the gateway reads.");
        }
    }

    [Fact]
    public void Prometheus_ScrapesTheGatewayAndWorkerPortsTheServicesListenOn()
    {
        var jobs = DeployFiles.Documents("deploy", "monitoring", "prometheus.yml")[0].List("scrape_configs").Children.ToDictionary(job => job.Scalar("job_name"));

        var gateway = jobs["gateway"].List("static_configs").Children[0].List("targets").Children.Select(node => ((YamlScalarNode)node).Value).Single();
        Assert.Equal("gateway:" + new Uri(Environment(Services, "gateway")["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port, gateway);

        var workers = jobs["worker"].List("dns_sd_configs").Children[0];
        Assert.Equal(Environment(Services, "worker")["Worker__MetricsPort"], workers.Scalar("port"));
        Assert.Contains("EXPOSE " + workers.Scalar("port"), DeployFiles.Text("deploy", "docker", "worker.Dockerfile"), StringComparison.Ordinal);
        Assert.All(jobs.Values, job => Assert.Equal("/metrics", job.Scalar("metrics_path")));
    }

    [Fact]
    public void Grafana_MountsFoldersThatExistAndHoldTheDashboard()
    {
        var volumes = Services["grafana"].List("volumes").Children.Select(node => ((YamlScalarNode)node).Value!.Split(':')[0]);

        Assert.All(volumes, source => Assert.True(Directory.Exists(Path.Combine(DeployFiles.Root, source)), $"{source} does not exist."));
        Assert.True(File.Exists(Path.Combine(DeployFiles.Root, "deploy", "monitoring", "grafana", "dashboards", "inference-cluster.json")));
    }

    [Fact]
    public void GpuOverride_MountsTheModelWhereItsModelPathPointsAndReservesAGpu()
    {
        var worker = GpuServices["worker"];
        var modelPath = Environment(GpuServices, "worker")["Inference__ModelPath"];
        var volumes = worker.List("volumes").Children.Select(node => ((YamlScalarNode)node).Value!);
        Assert.Contains(volumes, volume => volume.Split(':').Contains(modelPath));
        Assert.Equal("cuda", Environment(GpuServices, "worker")["Inference__ExecutionProvider"]);

        var devices = worker.Map("deploy").Map("resources").Map("reservations").List("devices");
        Assert.Contains(devices.Children, device => device.Scalar("driver") == "nvidia");
        Assert.True(Services["worker"].Map("deploy").Has("replicas"));
    }

    [Theory]
    [InlineData("ConnectionStrings__rabbitmq")]
    [InlineData("ConnectionStrings__redis")]
    [InlineData("Worker__MetricsPort")]
    public void LocalClusterScript_UsesTheSameVariables(string variable)
    {
        // cluster.sh and the scripts it sources: the workers' settings are passed in workers.sh.
        string[] scripts = ["cluster.sh", "servers.sh", "drain.sh", "workers.sh"];
        var localCluster = string.Concat(scripts.Select(script => DeployFiles.Text("deploy", "local", script)));
        Assert.Contains(variable, localCluster, StringComparison.Ordinal);
        Assert.Contains(variable, Environment(Services, variable.StartsWith("Worker", StringComparison.Ordinal) ? "worker" : "gateway").Keys);
    }

    private static Dictionary<string, string> Environment(YamlMappingNode services, string service) =>
        DeployFiles.Merged(services[service].Map("environment"));

    [GeneratedRegex(@"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}")]
    private static partial Regex RequiredVariable();

    [GeneratedRegex(@"^ARG\s+[A-Z_]+=(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex ArgDefault();
}
