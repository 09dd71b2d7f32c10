using InferenceCluster.Contracts;
using YamlDotNet.RepresentationModel;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// deploy/k8s cannot be applied here (no cluster), so its manifests are read: they parse, the kustomization
/// names them all, the containers read settings that exist, and the autoscaler watches the queue the workers
/// consume, never scales to zero and lets one worker drain at a time.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly YamlMappingNode Kustomization = DeployFiles.Documents("deploy", "k8s", "kustomization.yaml")[0];

    private static readonly IReadOnlyList<YamlMappingNode> Manifests =
        [.. Kustomization.List("resources").Children.SelectMany(resource => DeployFiles.Documents("deploy", "k8s", ((YamlScalarNode)resource).Value!))];

    [Fact]
    public void Kustomization_NamesTheDeploymentsAndTheAutoscaler()
    {
        var kinds = Manifests.Select(manifest => $"{manifest.Scalar("kind")}/{manifest.Map("metadata").Scalar("name")}").ToList();

        Assert.Contains("Deployment/gateway", kinds);
        Assert.Contains("Deployment/worker", kinds);
        Assert.Contains("ScaledObject/worker", kinds);
        Assert.Contains("TriggerAuthentication/worker-rabbitmq", kinds);
    }

    [Fact]
    public void Images_AreTheOnesTheKustomizationTags()
    {
        var tagged = Kustomization.List("images").Children.Select(image => image.Scalar("name")).ToHashSet();

        Assert.All(Containers(), container => Assert.Contains(container.Scalar("image"), tagged));
    }

    [Fact]
    public void WorkerEnvironment_NamesOnlySettingsTheWorkerHas()
    {
        foreach (var variable in Environment(Container("worker")).Keys)
        {
            var known = DeployFiles.IsKnownWorkerSetting(variable);
            Assert.True(known, $"{variable} names no setting the worker reads.");
        }
    }

    [Fact]
    public void GatewayEnvironment_NamesOnlySettingsTheGatewayHas()
    {
        foreach (var variable in Environment(Container("gateway")).Keys)
        {
            var known = DeployFiles.IsKnownGatewaySetting(variable);
            Assert.True(known, $"{variable} names no setting the gateway reads.");
        }
    }

    [Theory]
    [InlineData("Gateway__DrainGrce")]
    [InlineData("Gatway__DrainGrace")]
    [InlineData("Gateway__Cache__TimeToLiv")]
    [InlineData("Gateway__Playground__Enable")]
    [InlineData("ConnectionStrings__rabitmq")]
    [InlineData("Workr__Id")]
    public void SettingNameCheck_TypoedName_IsCaught(string variable)
    {
        // The manifests' environment is checked by name only, so the check itself must catch a typo.
        Assert.False(DeployFiles.IsKnownGatewaySetting(variable) || DeployFiles.IsKnownWorkerSetting(variable), variable);
    }

    [Theory]
    [InlineData("Gateway__DrainGrace")]
    [InlineData("Gateway__MaxQueuedPerModel")]
    [InlineData("Gateway__Defaults__Temperature")]
    [InlineData("Gateway__Cache__RedisTimeout")]
    [InlineData("Gateway__Playground__TraceUrlTemplate")]
    [InlineData("Gateway__Profiles__math__Temperature")]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("OTEL_SERVICE_NAME")]
    public void SettingNameCheck_GatewaySetting_IsKnown(string variable)
    {
        Assert.True(DeployFiles.IsKnownGatewaySetting(variable), variable);
    }

    [Theory]
    [InlineData("gateway", "ConnectionStrings__rabbitmq")]
    [InlineData("gateway", "ConnectionStrings__redis")]
    [InlineData("gateway", "ASPNETCORE_URLS")]
    [InlineData("worker", "ConnectionStrings__rabbitmq")]
    [InlineData("worker", "Inference__ModelPath")]
    [InlineData("worker", "Inference__ModelId")]
    [InlineData("worker", "Worker__MetricsPort")]
    [InlineData("worker", "Worker__MetricsAddress")]
    public void Environment_CarriesWhatTheServiceReads(string deployment, string variable)
    {
        Assert.Contains(variable, Environment(Container(deployment)).Keys);
    }

    [Theory]
    [InlineData("gateway", "http")]
    [InlineData("worker", "metrics")]
    public void ScrapeAnnotations_PointAtThePortServingMetrics(string deployment, string portName)
    {
        var template = Deployment(deployment).Map("spec").Map("template");
        var annotations = template.Map("metadata").Map("annotations");
        var port = Container(deployment).List("ports").Children.Single(p => p.Scalar("name") == portName).Scalar("containerPort");

        Assert.Equal("true", annotations.Scalar("prometheus.io/scrape"));
        Assert.Equal("/metrics", annotations.Scalar("prometheus.io/path"));
        Assert.Equal(port, annotations.Scalar("prometheus.io/port"));
    }

    [Fact]
    public void WorkerMetricsPort_IsTheContainerPortItsProbesUse()
    {
        var worker = Container("worker");
        var port = worker.List("ports").Children.Single(p => p.Scalar("name") == "metrics").Scalar("containerPort");

        Assert.Equal(port, Environment(worker)["Worker__MetricsPort"]);
        Assert.Equal("0.0.0.0", Environment(worker)["Worker__MetricsAddress"]);
        Assert.Equal("metrics", worker.Map("livenessProbe").Map("httpGet").Scalar("port"));
    }

    [Fact]
    public void ScaledObject_WatchesTheQueueOfTheWorkersModel()
    {
        var trigger = ScaledObject().Map("spec").List("triggers").Children.Single();
        var modelId = Environment(Container("worker"))["Inference__ModelId"];

        Assert.Equal("rabbitmq", trigger.Scalar("type"));
        Assert.Equal(ModelQueue.Name(modelId), trigger.Map("metadata").Scalar("queueName"));
        Assert.Equal("QueueLength", trigger.Map("metadata").Scalar("mode"));
        Assert.True(int.Parse(trigger.Map("metadata").Scalar("value"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("worker-rabbitmq", trigger.Map("authenticationRef").Scalar("name"));
    }

    [Fact]
    public void ScaledObject_KeepsAWorkerWarmAndTargetsTheWorkerDeployment()
    {
        var spec = ScaledObject().Map("spec");

        Assert.Equal("worker", spec.Map("scaleTargetRef").Scalar("name"));
        Assert.True(int.Parse(spec.Scalar("minReplicaCount"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public void ScaledObject_RemovesOneWorkerPerDrainGrace()
    {
        var scaleDown = ScaledObject().Map("spec").Map("advanced").Map("horizontalPodAutoscalerConfig").Map("behavior").Map("scaleDown");
        var policy = scaleDown.List("policies").Children.Single();
        var grace = Deployment("worker").Map("spec").Map("template").Map("spec").Scalar("terminationGracePeriodSeconds");

        Assert.Equal("Pods", policy.Scalar("type"));
        Assert.Equal("1", policy.Scalar("value"));
        Assert.Equal(grace, policy.Scalar("periodSeconds"));
    }

    [Fact]
    public void TriggerAuthentication_ReadsTheAddressTheWorkersConnectWith()
    {
        var auth = Manifests.Single(m => m.Scalar("kind") == "TriggerAuthentication");
        var host = auth.Map("spec").List("secretTargetRef").Children.Single(r => r.Scalar("parameter") == "host");
        var workerSecret = Container("worker").List("env").Children
            .Single(e => e.Scalar("name") == "ConnectionStrings__rabbitmq").Map("valueFrom").Map("secretKeyRef");

        Assert.Equal(workerSecret.Scalar("name"), host.Scalar("name"));
        Assert.Equal(workerSecret.Scalar("key"), host.Scalar("key"));
    }

    private static YamlMappingNode ScaledObject() => Manifests.Single(m => m.Scalar("kind") == "ScaledObject");

    private static YamlMappingNode Deployment(string name) =>
        Manifests.Single(m => m.Scalar("kind") == "Deployment" && m.Map("metadata").Scalar("name") == name);

    private static YamlMappingNode Container(string deployment) =>
        (YamlMappingNode)Deployment(deployment).Map("spec").Map("template").Map("spec").List("containers").Children.Single();

    private static IEnumerable<YamlMappingNode> Containers() =>
        Manifests.Where(m => m.Scalar("kind") == "Deployment")
            .SelectMany(d => d.Map("spec").Map("template").Map("spec").List("containers").Children.Cast<YamlMappingNode>());

    /// <summary>Variable names, with the literal value or "(from …)" for values taken from a secret or field.</summary>
    private static Dictionary<string, string> Environment(YamlMappingNode container) =>
        container.List("env").Children.ToDictionary(
            entry => entry.Scalar("name"),
            entry => entry.Has("value") ? entry.Scalar("value") : "(from " + string.Join(',', entry.Map("valueFrom").Children.Keys) + ")");
}
