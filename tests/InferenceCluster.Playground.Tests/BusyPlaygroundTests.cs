using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// A gateway that answers "not now" with <c>Retry-After</c> (a full model queue, a model without a live worker):
/// the page says how long to wait and offers a retry once that time has passed, and never retries by itself. The
/// browser's clock is Playwright's, so the wait passes without waiting.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class BusyPlaygroundTests(PlaygroundFixture cluster)
{
    [Theory]
    [InlineData(429, "model_queue_full", "The server is busy; try again in 7 s")]
    [InlineData(503, "model_unavailable", "The server is busy; try again in 7 s")]
    [InlineData(429, "rate_limit_exceeded", "This API key's request limit is reached; try again in 7 s")]
    public async Task Send_RefusedWithRetryAfter_SaysHowLongToWaitAndOffersARetryOnlyThen(int status, string code, string said)
    {
        await using var context = await cluster.NewContextAsync();
        await context.Clock.InstallAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        var requests = await RefuseFirstChatAsync(page.Page, status, code);
        var question = "Are you free? " + Guid.NewGuid().ToString("N")[..8];

        await page.SendAsync(question);
        var refused = page.Answers.Last;
        await Expect(refused.Locator(".answer-error")).ToContainTextAsync(said);
        var retry = refused.GetByRole(AriaRole.Button, new() { Name = "Retry" });
        await Expect(retry).ToBeDisabledAsync();
        await Expect(retry).ToHaveTextAsync(new Regex(@"^Retry in [1-7] s$"));

        // Long past the wait, the page has asked nothing more by itself; the retry is there to press.
        await RetryOnceTheWaitIsOverAsync(context, page, retry, requests, question);
    }

    [Fact]
    public async Task Reload_RefusedTurn_OffersItsRetryAgain()
    {
        await using var context = await cluster.NewContextAsync();
        await context.Clock.InstallAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        var requests = await RefuseFirstChatAsync(page.Page, 429, "model_queue_full");
        var question = "Are you free now? " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(question);
        await Expect(page.Answers.Last.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeDisabledAsync();

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        // The refusal is shown again with its Retry, still counting the server's wait down.
        var refused = page.Answers.Last;
        await Expect(refused.Locator(".answer-error")).ToContainTextAsync("The server is busy; try again in 7 s");
        var retry = refused.GetByRole(AriaRole.Button, new() { Name = "Retry" });
        await Expect(retry).ToBeDisabledAsync();
        await Expect(retry).ToHaveTextAsync(new Regex(@"^Retry in [1-7] s$"));
        await RetryOnceTheWaitIsOverAsync(context, page, retry, requests, question);
    }

    [Theory]
    [InlineData(503, "model_unavailable", "The server is busy; the models are asked for again in 600 s.")]
    [InlineData(429, "rate_limit_exceeded", "This API key's request limit is reached; the models are asked for again in 600 s.")]
    public async Task ModelList_RefusedWithRetryAfter_AskedForAgainOnlyOnceTheWaitIsOver(int status, string code, string said)
    {
        await using var context = await cluster.NewContextAsync();
        await context.Clock.InstallAsync();
        var requests = await RefuseFirstAsync(handler => context.RouteAsync("**/v1/models", handler), status, code, "600");
        var page = await context.NewPageAsync();
        await page.GotoAsync(cluster.Address.ToString());
        await Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await page.FillAsync("#api-key", PlaygroundFixture.Key);

        // The page says how long it waits, and asks nothing before then (it asks every 3 s while no worker is live).
        await Expect(page.Locator("#status")).ToContainTextAsync(said);
        await context.Clock.FastForwardAsync(60_000);
        Assert.Equal(1, requests());

        await context.Clock.FastForwardAsync(600_000);
        await Expect(page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#status")).ToBeHiddenAsync();
        Assert.Equal(2, requests());
    }

    /// <summary>
    /// Lets the server's wait pass on the browser's clock, presses <paramref name="retry"/> once it can be pressed, and
    /// checks that the page asked nothing by itself and that the retry sent <paramref name="question"/> alone.
    /// </summary>
    private static async Task RetryOnceTheWaitIsOverAsync(IBrowserContext context, PlaygroundPage page, ILocator retry, Func<int> requests, string question)
    {
        await context.Clock.FastForwardAsync(60_000);
        await Expect(retry).ToBeEnabledAsync();
        await Expect(retry).ToHaveTextAsync("Retry");
        Assert.Equal(1, requests());

        await retry.ClickAsync();
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal(2, requests());
        await Expect(retry).ToHaveCountAsync(0);
        var messages = page.ChatRequests[^1].GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()));
        Assert.Equal([("user", question)], messages);

        // The browser logs the refusal itself ("Failed to load resource"); the page's own code raised nothing.
        Assert.All(page.Errors, error => Assert.StartsWith("Failed to load resource", error, StringComparison.Ordinal));
    }

    /// <summary>Answers the page's first chat request "not now" (Retry-After: 7) and lets the rest through; returns how many it saw.</summary>
    private static Task<Func<int>> RefuseFirstChatAsync(IPage page, int status, string code) =>
        RefuseFirstAsync(handler => page.RouteAsync("**/v1/chat/completions", handler), status, code, "7");

    /// <summary>
    /// Answers the first request <paramref name="route"/> hands over "not now" (with <paramref name="retryAfter"/>) and lets
    /// the rest through; returns how many it saw.
    /// </summary>
    private static async Task<Func<int>> RefuseFirstAsync(Func<Func<IRoute, Task>, Task> route, int status, string code, string retryAfter)
    {
        var requests = 0;
        await route(async request =>
        {
            if (Interlocked.Increment(ref requests) > 1)
            {
                await request.ContinueAsync();
                return;
            }

            await request.FulfillAsync(new()
            {
                Status = status,
                Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter },
                ContentType = "application/json",
                Body = JsonSerializer.Serialize(new { error = new { message = "Not now.", type = "requests", param = (string?)null, code } }),
            });
        });
        return () => Volatile.Read(ref requests);
    }
}
