using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>The <c>model:profile</c> convention against model ids that contain a colon themselves.</summary>
public sealed class GenerationPolicyTests
{
    private static GenerationPolicy Policy(string servedModel)
    {
        var workers = new WorkerRegistry(TimeProvider.System, Options.Create(new GatewayOptions()));
        workers.Record(new WorkerHeartbeat
        {
            WorkerId = "w", ModelId = servedModel, ModelRevision = "r", Capacity = 1, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow,
        });
        var options = new PolicyOptions();
        options.Profiles["math"] = new SamplingSettings { Temperature = 0.55, TopP = 0.95 };
        return new GenerationPolicy(new StaticOptionsMonitor<SamplingSettings>(new SamplingSettings()), new StaticOptionsMonitor<PolicyOptions>(options), workers);
    }

    [Fact]
    public void Profile_ServedModelIdWithColon_IsTheModelNotAProfile()
    {
        var profile = Policy("team:7b").Profile("team:7b");

        Assert.Equal("team:7b", profile.Model);
        Assert.Null(profile.Name);
    }

    [Fact]
    public void Profile_ConfiguredProfileSuffix_SelectsTheProfile()
    {
        var profile = Policy("team:7b").Profile("team:7b:math");

        Assert.Equal("team:7b", profile.Model);
        Assert.Equal("math", profile.Name);
    }

    [Fact]
    public void Profile_UnknownSuffixOnNoServedModel_Returns400ProfileNotFound()
    {
        var error = Assert.Throws<OpenAIException>(() => Policy("team:7b").Profile("team:typo"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("model", error.Param);
        Assert.Equal("profile_not_found", error.Code);
    }
}
