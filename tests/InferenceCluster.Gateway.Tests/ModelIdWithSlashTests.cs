using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A model id with a slash (<c>org/model</c>, as upstream servers name models) is found by <c>GET /v1/models/{id}</c>
/// whether the slash is sent as it is or escaped, as OpenAI's SDKs send it (<c>models.retrieve</c> escapes the id).
/// </summary>
public sealed class ModelIdWithSlashTests : IAsyncLifetime
{
    private const string Model = "org/upstream-model";
    private HermeticGateway? _gateway;

    public async Task InitializeAsync()
    {
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["ReverseProxy:Routes:upstream-chat:ClusterId"] = "upstream",
                ["ReverseProxy:Routes:upstream-chat:Match:Path"] = "/v1/chat/completions",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Name"] = "X-Inference-Model",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Values:0"] = Model,
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Mode"] = "ExactHeader",
                ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = "http://127.0.0.1:9/",
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/v1/models/org/upstream-model")]
    [InlineData("/v1/models/org%2Fupstream-model")]
    [InlineData("/v1/models/org%2fupstream-model")]
    public async Task Get_IdWithSlash_FoundAsSentOrEscaped(string path)
    {
        using var response = await _gateway!.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Model, body.GetProperty("id").GetString());
    }
}
