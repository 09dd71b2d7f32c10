using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>A name the client chose (a member, a model, a role, a type) reaches an error message and its log line capped and without raw control characters.</summary>
public sealed class ClientTextInErrorsTests
{
    private static readonly string Name = "x\r\nFORGED log line\u001b[2J" + new string('y', 5000);

    [Theory]
    [InlineData("member")]
    [InlineData("model")]
    [InlineData("role")]
    [InlineData("content part type")]
    [InlineData("response_format type")]
    [InlineData("Responses input role")]
    public async Task AnyOperation_NameWithLineBreaks_MessageAndLogLinesCappedAndEscaped(string where)
    {
        using var logs = new FakeLoggerProvider();
        var worker = new FakeWorkerState();
        await using var gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:EmbeddedWorker"] = "false" });
            FakeWorkerPool.Register(builder, GatewayFixture.Model, worker, TimeProvider.System);
        });
        await FakeWorkerPool.AnnounceAsync(gateway.App, gateway.Client, GatewayFixture.Model);
        var name = JsonEncodedText.Encode(Name);
        var model = GatewayFixture.Model;
        var (path, body) = where switch
        {
            "member" => ("/v1/chat/completions", Wire.Chat(model, "hi", $$""","{{name}}":1""")),
            "model" => ("/v1/chat/completions", Wire.Chat(name.ToString(), "hi")),
            "role" => ("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"{{name}}","content":"hi"}]}"""),
            "content part type" => ("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":[{"type":"{{name}}","text":"hi"}]}]}"""),
            "response_format type" => ("/v1/chat/completions", Wire.Chat(model, "hi", $$""","response_format":{"type":"{{name}}"}""")),
            _ => ("/v1/responses", $$"""{"model":"{{model}}","input":[{"role":"{{name}}","content":"hi"}]}"""),
        };

        using var response = await gateway.Client.PostAsync(path, Wire.Json(body));

        // An unknown model is a 503 while the gateway may not have heard every worker yet, a 404 after.
        HttpStatusCode[] expected = where == "model" ? [HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable] : [HttpStatusCode.BadRequest];
        Assert.Contains(response.StatusCode, expected);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains(@"x\u000D\u000AFORGED log line\u001B[2Jyyy", message, StringComparison.Ordinal);
        Assert.True(message.Length < 300, message);
        var lines = logs.Collector.GetSnapshot().Where(record => record.Message.Contains("FORGED", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, record =>
        {
            Assert.DoesNotContain(record.Message, char.IsControl);
            Assert.True(record.Message.Length < 600, record.Message);
        });
    }
}
