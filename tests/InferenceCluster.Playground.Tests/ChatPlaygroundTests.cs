using System.Globalization;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>Chat mode in a real browser: per-request settings, streamed answers, the effective config, Stop.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ChatPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Send_TemperatureMoved_StreamsAndShowsTheConfigTheWorkerRan()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var settings = page.ChatSettings;

        // The slider a person drags; the number beside it follows.
        await settings.Locator("[data-field=temperature] input[type=range]").FillAsync("0.3");
        await Expect(PlaygroundPage.Field(settings, "temperature")).ToHaveValueAsync("0.3");
        await page.SetAsync(settings, "max_tokens", "300");
        await page.SetAsync(settings, "min_tokens", "300");

        var prompt = "Explain the weather, please " + Guid.NewGuid().ToString("N")[..8];
        await page.StartAndWaitUntilStreamingAsync(() => page.SendAsync(prompt), ".messages .answer.streaming", 1);
        var answer = page.Answers.Last;
        await PlaygroundPage.WaitForFinishAsync(answer);

        Assert.Matches(@"\S", await PlaygroundPage.TextAsync(answer));
        Assert.Equal("0.3", await PlaygroundPage.EffectiveAsync(answer, "temperature"));
        Assert.Equal("300", await PlaygroundPage.EffectiveAsync(answer, "max_tokens"));
        Assert.Equal("none", await PlaygroundPage.EffectiveAsync(answer, "seed"));
        Assert.Equal("length", await PlaygroundPage.FigureAsync(answer, "finish"));
        Assert.StartsWith("300", await PlaygroundPage.FigureAsync(answer, "tokens"), StringComparison.Ordinal);
        Assert.Matches(@"^\d+ ms$", await PlaygroundPage.FigureAsync(answer, "ttft"));

        // What the page shows is what the worker ran: server defaults filled in where the panel was left empty,
        // and the key's pinned value whatever the panel said.
        var run = Assert.Single(cluster.RunsFor(prompt));
        Assert.Equal(0.3, run.Config.Temperature);
        Assert.Equal(run.Config.TopP.ToString(CultureInfo.InvariantCulture), await PlaygroundPage.EffectiveAsync(answer, "top_p"));
        Assert.Equal(PlaygroundFixture.PinnedRepetitionPenalty, run.Config.RepetitionPenalty);
        Assert.Equal("1.05", await PlaygroundPage.EffectiveAsync(answer, "repetition_penalty"));
        await Expect(answer.Locator(".adjustments")).ToContainTextAsync("repetition_penalty=1.05 (pinned)");

        // The trace link names the trace the gateway recorded this request under.
        var traceId = await answer.GetAttributeAsync("data-trace-id");
        Assert.NotNull(traceId);
        Assert.Equal(PlaygroundFixture.TraceUrlTemplate.Replace("{traceId}", traceId, StringComparison.Ordinal), await answer.Locator(".trace-link").GetAttributeAsync("href"));
        Assert.Contains(traceId, cluster.ServerTraceIds);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_ProfileChoosesTheLimits_BothShownAsFitToContext()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // The profile's floor and ceiling are the server's: the worker may lower both to what the context leaves.
        await page.ChatSettings.Locator("select[name=profile]").SelectOptionAsync(PlaygroundFixture.FloorProfile);
        await page.SendAsync("Count sheep " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal("up to 32 (fit to context)", await PlaygroundPage.EffectiveAsync(page.Answers.Last, "max_tokens"));
        Assert.Equal("24 or less (fit to context)", await PlaygroundPage.EffectiveAsync(page.Answers.Last, "min_tokens"));

        // The user's own floor is used as sent.
        await page.SetAsync(page.ChatSettings, "min_tokens", "8");
        await page.SendAsync("Count goats " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Nth(1));
        Assert.Equal("8", await PlaygroundPage.EffectiveAsync(page.Answers.Nth(1), "min_tokens"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_StopsTooLongForTheHeader_ShownAsCountedNotAsNone()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // Each CJK character is a six-character \uXXXX escape in X-Inference-Config: 3 x 240 of them are beyond its
        // bound, so the gateway counts the stops without listing them, and the worker still enforces all three.
        var stops = string.Join('|', Enumerable.Range(0, 3).Select(i => new string((char)('\u4e00' + i), 240)));
        await page.ChatSettings.Locator("input[name=stop]").FillAsync(stops);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.SendAsync("Stops too long " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        Assert.Equal("3 strings (too long to list)", await PlaygroundPage.EffectiveAsync(page.Answers.Last, "stop"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_SecondTurn_CarriesTheHistory()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        // A question the test model reasons about and then answers (a turn with no answer text is left out).
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        const string Question = "What is 17 + 25?";
        await page.SendAsync(Question);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Nth(0));
        var answer = await page.Answers.Nth(0).Locator(".answer-text").TextContentAsync() ?? "";
        Assert.Matches(@"\S", answer);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.SendAsync("And the second one?");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Nth(1));

        // The second request held the first exchange too (its answer without the reasoning), so its prompt is longer.
        var messages = page.ChatRequests[^1].GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("user", Question), ("assistant", answer), ("user", "And the second one?")], messages);
        var first = int.Parse(await PlaygroundPage.FigureAsync(page.Answers.Nth(0), "prompt"), CultureInfo.InvariantCulture);
        var second = int.Parse(await PlaygroundPage.FigureAsync(page.Answers.Nth(1), "prompt"), CultureInfo.InvariantCulture);
        Assert.True(second > first + 5, $"the second turn's prompt had {second} tokens, the first's {first}");
        await Expect(page.Page.Locator(".user-message")).ToHaveCountAsync(2);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Copy_FinishedAnswer_PutsTheAnswerWithoutItsReasoningOnTheClipboard()
    {
        await using var context = await cluster.NewContextAsync();
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await context.Clock.InstallAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        await page.SendAsync("What is 17 + 25?");
        var answer = page.Answers.Last;
        await PlaygroundPage.WaitForFinishAsync(answer);

        // The page's time stands still while the button says what it did, then runs on past its two seconds.
        await context.Clock.PauseAtAsync(DateTime.Now.AddSeconds(5));
        await answer.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Copy answer" }).ClickAsync();

        var text = await answer.Locator(".answer-text").TextContentAsync();
        Assert.Matches(@"\S", text);
        Assert.Equal(text, await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var copied = answer.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Answer copied" });
        await Expect(copied).ToHaveTextAsync("Copied");
        await context.Clock.RunForAsync(2500);
        await Expect(answer.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Copy answer" })).ToHaveTextAsync("Copy");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_AnswerFromTheCache_SaysSoAndShowsNoSpeedItCouldNotMeasure()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "300");
        await page.SetAsync(page.ChatSettings, "min_tokens", "300");
        var prompt = "Say it twice " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(prompt);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal("miss", await PlaygroundPage.FigureAsync(page.Answers.Last, "cache"));

        // Its speed, or that it arrived at once (the test model's 300 tokens take a fifth of a second): not the cache.
        Assert.DoesNotContain("cache", await PlaygroundPage.FigureAsync(page.Answers.Last, "rate"), StringComparison.Ordinal);

        // Greedy, so the same question again is answered from the cache, as the gateway's header says: all at once,
        // no speed of the model's.
        await page.Page.ClickAsync("#clear");
        await page.SendAsync(prompt);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Single(cluster.RunsFor(prompt));
        Assert.Equal("hit", await PlaygroundPage.FigureAsync(page.Answers.Last, "cache"));
        Assert.Equal("— (from the cache)", await PlaygroundPage.FigureAsync(page.Answers.Last, "rate"));
        Assert.StartsWith("300", await PlaygroundPage.FigureAsync(page.Answers.Last, "tokens"), StringComparison.Ordinal);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_AnswerThatArrivesInPieces_ShowsTheSpeedOfItsTokens()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var inPieces = new Uri(cluster.Address, StreamInPieces.Path).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = inPieces }));
        await page.SendAsync("Piece by piece " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        Assert.Equal($"{StreamInPieces.Tokens}", await PlaygroundPage.FigureAsync(page.Answers.Last, "tokens"));
        Assert.Matches(@"^\d+\.\d tok/s$", await PlaygroundPage.FigureAsync(page.Answers.Last, "rate"));
        Assert.Matches(@"^\d+ ms$", await PlaygroundPage.FigureAsync(page.Answers.Last, "ttft"));
        Assert.Equal("stop", await PlaygroundPage.FigureAsync(page.Answers.Last, "finish"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_AnswerThatArrivesAtOnce_ShowsNoSpeedItCouldNotMeasure()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // A generated answer (no cache hit) handed to the page in one go, as a fast model's short answer comes when the
        // worker sends what it has every 20 ms: the time between its pieces is the network's, not the model's.
        await page.Page.RouteAsync("**/v1/chat/completions", async route => await route.FulfillAsync(new() { Response = await route.FetchAsync() }));
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.SendAsync("All at once " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        Assert.Equal("— (arrived at once)", await PlaygroundPage.FigureAsync(page.Answers.Last, "rate"));
        Assert.Equal("not used", await PlaygroundPage.FigureAsync(page.Answers.Last, "cache"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Stop_WhileStreaming_ClosesTheStream()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // A stream that ends only when closed: the test model's longest answer (1500 tokens) runs out in about a
        // second, and in a full run it once ended before the click. Closing the stream is the page's part of a stop;
        // that the gateway then cancels the generation on its worker is DisconnectTests' (the cluster tests).
        var answerForever = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = answerForever }));
        var prompt = "Talk for a very long time " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(prompt);
        var answer = page.Answers.Last;
        await Expect(answer.Locator(".answer-text")).ToContainTextAsync("Line 2 ");
        await page.Page.ClickAsync("#stop");

        await Expect(answer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstopped\b"));
        await Expect(answer.Locator(".answer-error")).ToContainTextAsync("Closing the stream made the gateway cancel the generation");
        await Expect(page.Page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#stop")).ToBeHiddenAsync();
        await cluster.EndlessStreams.ClosedAsync(prompt).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("stopped", await PlaygroundPage.FigureAsync(answer, "finish"));
        Assert.Empty(page.Errors);
    }
}
