using System.Net;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Conformance.Tests;

/// <summary>
/// Members the official SDKs' types declare required, even where their value is always null here: a typed client
/// (the Node SDK's TypeScript types, the Python SDK's models) reads a missing one as <c>undefined</c>, which its
/// own type says cannot happen (<c>message.refusal !== null</c> is then true of every answer).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SdkRequiredMembersConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    [Fact]
    public async Task ChatCompletion_MessageAndLogprobs_CarryRefusalNull()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"What is 2 + 3?"}],"temperature":0,"max_tokens":4,"logprobs":true,"top_logprobs":1}""");

        var choice = Assert.Single(json.GetProperty("choices").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("message").GetProperty("refusal").ValueKind);
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").GetProperty("refusal").ValueKind);
    }

    [Fact]
    public async Task ChatCompletionStream_Logprobs_CarryRefusalNull()
    {
        var chunks = await Raw.StreamAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"What is 2 + 3?"}],"temperature":0,"max_tokens":4,"logprobs":true,"stream":true}""");

        var logprobs = chunks.SelectMany(chunk => chunk.GetProperty("choices").EnumerateArray())
            .Select(choice => choice.GetProperty("logprobs"))
            .Where(value => value.ValueKind == JsonValueKind.Object)
            .ToList();
        Assert.NotEmpty(logprobs);
        Assert.All(logprobs, value => Assert.Equal(JsonValueKind.Null, value.GetProperty("refusal").ValueKind));
    }

    [Fact]
    public async Task Response_CarriesAccessProgramsNull()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/responses", $$"""{"model":"{{Model}}","input":"What is 2 + 3?","temperature":0,"max_output_tokens":4}""");

        Assert.Equal(JsonValueKind.Null, json.GetProperty("access_programs").ValueKind);
    }

    [Fact]
    public async Task ResponseStream_EveryResponseCarriesAccessProgramsNull()
    {
        using var http = await cluster.Http.PostAsync("/v1/responses", new StringContent(
            $$"""{"model":"{{Model}}","input":"What is 2 + 3?","temperature":0,"max_output_tokens":4,"stream":true}""", Encoding.UTF8, "application/json"));
        var body = await http.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, http.StatusCode);

        var responses = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => JsonDocument.Parse(block.Split('\n')[1]["data: ".Length..]).RootElement.Clone())
            .Where(data => data.TryGetProperty("response", out _))
            .Select(data => data.GetProperty("response"))
            .ToList();
        Assert.Equal(3, responses.Count);
        Assert.All(responses, response => Assert.Equal(JsonValueKind.Null, response.GetProperty("access_programs").ValueKind));
    }
}
