using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.IntegrationTests.Cluster;

namespace InferenceCluster.IntegrationTests;

/// <summary>
/// A max_tokens the client never sent (the <c>math</c> profile's 2048, the default 1024) is a ceiling a real worker
/// fits to the room the prompt leaves in the test model's 2048-token context; the client's own is honoured or
/// rejected as sent, and the cache keeps the two apart. A min_tokens the client never sent (a profile's floor) is
/// lowered the same way, never above the max_tokens the worker applies; the client's own is still a 400 naming it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ContextFitTests(ClusterFixture cluster)
{
    private static readonly TimeSpan CachePatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ChatCompletions_LongPromptWithoutMaxTokens_AnsweredWithinTheContext()
    {
        var prompt = LongPrompt("chat");
        var body = Chat(prompt, maxTokens: null);

        using var response = await PostAsync("/v1/chat/completions", body);

        var answer = await OkAsync(response);
        var choice = answer.GetProperty("choices")[0];
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "length", "stop" });
        var usage = answer.GetProperty("usage");
        var promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
        var completionTokens = usage.GetProperty("completion_tokens").GetInt32();
        Assert.True(promptTokens > 1024, $"the prompt has {promptTokens} tokens, too few to overrun the context with the profile's 2048");
        Assert.InRange(completionTokens, 1, ContextLength - promptTokens);
        if (choice.GetProperty("finish_reason").GetString() == "length")
        {
            Assert.Equal(ContextLength, promptTokens + completionTokens);
        }

        var run = Assert.Single(cluster.RunsFor(prompt));
        Assert.True(run.Config.FitMaxTokensToContext);
        Assert.Equal(completionTokens, run.Tokens);
        var config = JsonDocument.Parse(Assert.Single(response.Headers.GetValues("X-Inference-Config"))).RootElement;
        Assert.True(config.GetProperty("max_tokens_fit_to_context").GetBoolean());

        // The fitted answer is cached for this request; the same prompt with the client's own 2048 is still a 400.
        Assert.NotNull(await cluster.WaitForCachedTextAsync(choice.GetProperty("message").GetProperty("content").GetString()!, CachePatience));
        using var again = await PostAsync("/v1/chat/completions", body);
        Assert.Equal(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            (await OkAsync(again)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Single(cluster.RunsFor(prompt));
        using var own = await PostAsync("/v1/chat/completions", Chat(prompt, maxTokens: 2048));
        await AssertContextExceededAsync(own, "max_tokens");
    }

    [Fact]
    public async Task ChatCompletions_ExplicitMaxTokensOverTheContext_StillRejectedNamingIt()
    {
        using var response = await PostAsync("/v1/chat/completions", Chat(LongPrompt("explicit"), maxTokens: 1024));

        await AssertContextExceededAsync(response, "max_tokens");
    }

    [Fact]
    public async Task Responses_LongInputWithoutMaxOutputTokens_AnsweredAndEchoesTheFittedLimit()
    {
        var prompt = LongPrompt("responses");
        var body = JsonSerializer.Serialize(new { model = ClusterFixture.Model + ":math", input = prompt, temperature = 0 });

        using var response = await PostAsync("/v1/responses", body);

        var answer = await OkAsync(response);
        Assert.Contains(answer.GetProperty("status").GetString(), new[] { "completed", "incomplete" });
        var usage = answer.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32() <= ContextLength);

        // The math profile's 2048 was lowered to the room the input left: the echo is the limit the worker applied.
        Assert.Equal(ContextLength - usage.GetProperty("input_tokens").GetInt32(), answer.GetProperty("max_output_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_LongPromptUnderAProfileFloor_FloorLoweredAndAnsweredToTheEndOfTheContext()
    {
        var prompt = LongPrompt("floor");
        var body = JsonSerializer.Serialize(new
        {
            model = $"{ClusterFixture.Model}:{ClusterFixture.FloorProfile}",
            messages = new[] { new { role = "user", content = prompt } },
            temperature = 0,
        });

        using var response = await PostAsync("/v1/chat/completions", body);

        // The floor of 2000 became the room the prompt left, so the end-of-sequence token waited for the end of the context.
        var answer = await OkAsync(response);
        var choice = answer.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = answer.GetProperty("usage");
        Assert.Equal(ContextLength, usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32());
        var run = Assert.Single(cluster.RunsFor(prompt));
        Assert.Equal(2000, run.Config.MinTokens);
        Assert.True(run.Config.FitMinTokensToContext);
        var config = JsonDocument.Parse(Assert.Single(response.Headers.GetValues("X-Inference-Config"))).RootElement;
        Assert.True(config.GetProperty("min_tokens_fit_to_context").GetBoolean());

        // The same floor sent by the client is its own: a 400 naming it, not the cached fitted answer.
        Assert.NotNull(await cluster.WaitForCachedTextAsync(choice.GetProperty("message").GetProperty("content").GetString()!, CachePatience));
        var own = JsonSerializer.Serialize(new
        {
            model = $"{ClusterFixture.Model}:{ClusterFixture.FloorProfile}",
            messages = new[] { new { role = "user", content = prompt } },
            temperature = 0,
            min_tokens = 2000,
        });
        using var rejected = await PostAsync("/v1/chat/completions", own);
        await AssertContextExceededAsync(rejected, "min_tokens");
        Assert.Single(cluster.RunsFor(prompt));
    }

    /// <summary>The bundled test model's context (2048 tokens), as the workers loaded it.</summary>
    private int ContextLength => cluster.Workers[0].Engine.Model.ContextLength;

    /// <summary>About 1,850 tokens of arithmetic questions: less than the context, more than it minus 1024.</summary>
    private static string LongPrompt(string tag) =>
        $"[{tag} {Guid.NewGuid():N}] " + string.Join(' ', Enumerable.Repeat("What is 17 + 25?", 165));

    private static string Chat(string prompt, int? maxTokens)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = ClusterFixture.Model + ":math",
            ["messages"] = new[] { new { role = "user", content = prompt } },
            ["temperature"] = 0,
        };
        if (maxTokens is { } own)
        {
            body["max_tokens"] = own;
        }

        return JsonSerializer.Serialize(body);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        cluster.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task AssertContextExceededAsync(HttpResponseMessage response, string param)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
