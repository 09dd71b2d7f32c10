using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>Bearer keys, the per-key rate and the per-model in-flight limit through a real gateway.</summary>
public sealed class ApiKeyGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private static string Chat(string prompt) =>
        $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"{{prompt}}"}]}""";

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task V1_WithoutValidKey_Returns401InvalidApiKey(string? authorization)
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/models"), (HttpMethod.Post, "/v1/chat/completions") })
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(Chat("x"), System.Text.Encoding.UTF8, "application/json");
            }

            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await gateway.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var error = await ErrorOf(response);
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task V1_KeyWithUppercaseConfiguredHash_Accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PolicyGatewayFixture.RangedKey);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(PolicyGatewayFixture.UpstreamModel)]
    [InlineData(PolicyGatewayFixture.UpstreamModel + ":math")]
    [InlineData(PolicyGatewayFixture.UpstreamModelWithColon)]
    public async Task ChatCompletions_ForwardedModel_RoutedByIdWithoutProfileAndGatewayKeyNotPassed(string model)
    {
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey, $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from upstream", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        // The body goes upstream unchanged; the gateway's key does not.
        Assert.Contains(gateway.Upstream.Requests, request => request.Model == model);
        Assert.All(gateway.Upstream.Authorizations, Assert.Empty);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WithoutKey_StillAnswers(string path)
    {
        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_KeyOverItsRate_Returns429WithRetryAfter()
    {
        using var first = await gateway.Send(PolicyGatewayFixture.LimitedKey, Chat("rate-1"));
        using var second = await gateway.Send(PolicyGatewayFixture.LimitedKey, Chat("rate-2"));
        using var third = await gateway.Send(PolicyGatewayFixture.LimitedKey, Chat("rate-3"));
        using var otherKey = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat("rate-other"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var error = await ErrorOf(third);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Equal(0, gateway.Worker.CountFor("rate-3"));

        // The limit is per key: others are unaffected.
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_KeyWithRate_HeadersSayLimitRemainingAndReset()
    {
        using var first = await gateway.Send(PolicyGatewayFixture.MeteredKey, Chat("rate-headers-1"));
        using var response = await gateway.Send(PolicyGatewayFixture.MeteredKey, Chat("rate-headers-2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([$"{PolicyGatewayFixture.MeteredPerMinute}"], response.Headers.GetValues("x-ratelimit-limit-requests"));
        var remainingBefore = int.Parse(Assert.Single(first.Headers.GetValues("x-ratelimit-remaining-requests")), System.Globalization.CultureInfo.InvariantCulture);
        var remaining = int.Parse(Assert.Single(response.Headers.GetValues("x-ratelimit-remaining-requests")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 0, PolicyGatewayFixture.MeteredPerMinute - 1);

        // Unless the minute turned between the two requests, the second left one fewer.
        Assert.True(remaining == remainingBefore - 1 || remaining == PolicyGatewayFixture.MeteredPerMinute - 1, $"{remainingBefore} then {remaining}");
        Assert.Matches("^([1-9]|[1-5][0-9]|60)s$", Assert.Single(response.Headers.GetValues("x-ratelimit-reset-requests")));
    }

    [Fact]
    public async Task ChatCompletions_KeyWithRateOnForwardedModel_KeysRateHeadersReplaceTheUpstreams()
    {
        using var response = await gateway.Send(
            PolicyGatewayFixture.MeteredKey, $$"""{"model":"{{PolicyGatewayFixture.UpstreamModel}}","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from upstream", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal([$"{PolicyGatewayFixture.MeteredPerMinute}"], response.Headers.GetValues("x-ratelimit-limit-requests"));
        var remaining = int.Parse(Assert.Single(response.Headers.GetValues("x-ratelimit-remaining-requests")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 0, PolicyGatewayFixture.MeteredPerMinute - 1);
        Assert.Matches("^([1-9]|[1-5][0-9]|60)s$", Assert.Single(response.Headers.GetValues("x-ratelimit-reset-requests")));
        Assert.False(response.Headers.Contains("x-ratelimit-remaining-tokens"));
    }

    [Fact]
    public async Task ChatCompletions_KeyWithoutRateOnForwardedModel_NoneOfTheUpstreamsRateHeaders()
    {
        // They describe the gateway's account at the upstream, shared by every tenant.
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey, $$"""{"model":"{{PolicyGatewayFixture.UpstreamModel}}","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from upstream", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ChatCompletions_KeyWithoutRate_NoRateHeaders()
    {
        using var response = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat("no-rate-headers"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-ratelimit-limit-requests"));
    }

    [Fact]
    public async Task ChatCompletions_ModelQueueFull_Returns429WithRetryAfter()
    {
        // Requests that never finish (until their deadline passes) hold the model's slots.
        var received = gateway.Worker.CountFor("hang");
        var hanging = Enumerable.Range(0, PolicyGatewayFixture.MaxQueued)
            .Select(_ => gateway.Send(PolicyGatewayFixture.OpenKey, Chat("hang")))
            .ToArray();
        await Eventually.TrueAsync(() => gateway.Worker.CountFor("hang") >= received + PolicyGatewayFixture.MaxQueued);

        using var refused = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat("queue-refused"));

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("model_queue_full", (await ErrorOf(refused)).GetProperty("code").GetString());
        Assert.Equal(0, gateway.Worker.CountFor("queue-refused"));

        Assert.True(gateway.PassDeadlines() >= PolicyGatewayFixture.MaxQueued, "the hanging requests had no deadline running");
        foreach (var response in await Task.WhenAll(hanging).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            response.Dispose();
        }

        // The slots are free again once the requests ended.
        using var after = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat("queue-after"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_MoreChoicesThanTheInFlightLimit_Returns400NamingN()
    {
        // Each choice takes a slot: with nothing else in flight, n = limit + 1 could still never be admitted.
        var body = $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"too-many-choices"}],"n":{{PolicyGatewayFixture.MaxQueued + 1}}}""";

        using var response = await gateway.Send(PolicyGatewayFixture.OpenKey, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("n", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Contains($"at most {PolicyGatewayFixture.MaxQueued}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gateway.Worker.CountFor("too-many-choices"));
    }

    [Fact]
    public async Task ChatCompletions_EnginePrefixReuseWithAKey_ReportsNoCachedTokens()
    {
        // The engine's prefix cache serves every key: a count above 0 could be another key's prompt showing through.
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey, $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"prefix reused"}],"temperature":1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
        Assert.Equal(7, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }
}
