using System.ClientModel;

namespace InferenceCluster.Conformance.Tests;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> through the SDK's model client.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelsConformanceTests(EmbeddedClusterFixture cluster)
{
    [Fact]
    public async Task GetModels_ListsTheServedModel()
    {
        var models = (await cluster.OpenAI.GetOpenAIModelClient().GetModelsAsync()).Value;

        var model = Assert.Single(models, m => m.Id == EmbeddedClusterFixture.Model);
        Assert.Equal("inference-cluster", model.OwnedBy);
    }

    [Fact]
    public async Task GetModel_ServedModel_ReturnsIt()
    {
        var model = (await cluster.OpenAI.GetOpenAIModelClient().GetModelAsync(EmbeddedClusterFixture.Model)).Value;

        Assert.Equal(EmbeddedClusterFixture.Model, model.Id);
        Assert.True(model.CreatedAt > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task GetModel_UnknownModel_Returns404ModelNotFound()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => cluster.OpenAI.GetOpenAIModelClient().GetModelAsync("no-such-model"));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }
}
