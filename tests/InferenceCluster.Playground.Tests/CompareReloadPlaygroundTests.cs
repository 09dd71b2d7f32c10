using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Compare keeps its columns' answers and its unsent prompt across a reload, as chat keeps its conversation (session
/// storage: the tab's alone); a column still streaming at the reload comes back cut short, never as complete.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class CompareReloadPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Reload_AfterARun_TheColumnsAnswersAndTheUnsentPromptAreThereAgain()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.SetAsync(page.Column(0), "temperature", "0");
        await page.SetAsync(page.Column(1), "temperature", "0");
        await page.SetAsync(page.Column(1), "max_tokens", "24");
        await page.Page.FillAsync("#compare-prompt", "What is 17 + 25?");
        await page.Page.ClickAsync("#compare-run");
        var texts = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            await PlaygroundPage.WaitForFinishAsync(page.Column(i).Locator(".answer"));
            texts.Add(await PlaygroundPage.TextAsync(page.Column(i).Locator(".answer")));
        }

        var draft = "And what is 3 + 4? " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.FillAsync("#compare-prompt", draft);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        await Expect(page.Page.Locator("#compare-view")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#compare-prompt")).ToHaveValueAsync(draft);
        for (var i = 0; i < 2; i++)
        {
            var answer = page.Column(i).Locator(".answer");
            await Expect(answer).ToHaveCountAsync(1);
            await Expect(answer).Not.ToHaveClassAsync(new Regex(@"\bstreaming\b"));
            Assert.Equal(texts[i], await PlaygroundPage.TextAsync(answer));
            Assert.Equal("0", await PlaygroundPage.EffectiveAsync(answer, "temperature"));
        }

        Assert.Equal("stop", await PlaygroundPage.FigureAsync(page.Column(0).Locator(".answer"), "finish"));
        Assert.Equal("length", await PlaygroundPage.FigureAsync(page.Column(1).Locator(".answer"), "finish"));
        Assert.Equal("24", await PlaygroundPage.EffectiveAsync(page.Column(1).Locator(".answer"), "max_tokens"));

        // Kept for this tab only: nothing of it on the device, nothing in another tab.
        Assert.DoesNotContain(await page.Page.EvaluateAsync<string[]>("() => Object.keys(localStorage)"), key => key.Contains("compare", StringComparison.Ordinal));
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await Expect(other.Page.Locator("#columns .answer")).ToHaveCountAsync(0);
        await Expect(other.Page.Locator("#compare-prompt")).ToHaveValueAsync(string.Empty);
        Assert.Empty(page.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task Reload_WhileTheColumnsStream_TheyComeBackIncomplete()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        var prompt = "Go on and on " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.FillAsync("#compare-prompt", prompt);
        await page.Page.ClickAsync("#compare-run");
        await page.WaitForMoreColumnLinesAsync(2);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        // The reload closed both streams; each column says its answer is incomplete and shows no end it never had.
        await cluster.EndlessStreams.ClosedAsync(prompt).WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 2; i++)
        {
            var cut = page.Column(i).Locator(".answer");
            await Expect(cut).ToHaveClassAsync(new Regex(@"\bstopped\b"));
            await Expect(cut).Not.ToHaveClassAsync(new Regex(@"\bstreaming\b"));
            await Expect(cut.Locator(".answer-error")).ToContainTextAsync("Incomplete: the page was reloaded before this answer ended");
            await Expect(cut.Locator(".answer-text")).ToContainTextAsync("Line 1 ");
            await Expect(cut.Locator(".figures [data-key=finish]")).ToHaveCountAsync(0);
        }

        // A second reload shows them the same, and Run all is there to run again.
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#columns .answer-error")).ToHaveCountAsync(2);
        await Expect(page.Page.Locator("#columns .answer-error").Last).ToContainTextAsync("Incomplete");
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#compare-prompt")).ToHaveValueAsync(prompt);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Reload_RunGrownPastTheStorage_ShowsNoAnswersRatherThanAnOlderRun()
    {
        await using var context = await cluster.NewContextAsync();

        // As with a tab whose session storage is full: the first run fits, the second does not.
        await context.AddInitScriptAsync(
            """
            const setItem = Storage.prototype.setItem;
            Storage.prototype.setItem = function (name, value) {
              if (name === 'inference-cluster.compare' && value.includes('Too much to keep')) throw new DOMException('full', 'QuotaExceededError');
              return setItem.call(this, name, value);
            };
            """);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamInPieces.Path);
        await page.Page.FillAsync("#compare-prompt", "First " + Guid.NewGuid().ToString("N")[..8]);
        await page.Page.ClickAsync("#compare-run");
        await Expect(page.Page.Locator("#columns .figures [data-key=finish]")).ToHaveCountAsync(2);
        await page.Page.UnrouteAllAsync();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.FulfillAsync(new()
        {
            ContentType = "text/event-stream",
            Body = """
                data: {"id":"chatcmpl-too-much","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Too much to keep."}}]}

                data: {"id":"chatcmpl-too-much","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: [DONE]


                """,
        }));
        await page.Page.ClickAsync("#compare-run");
        await Expect(page.Page.Locator("#columns .answer-text")).ToHaveTextAsync(["Too much to keep.", "Too much to keep."]);
        await Expect(page.Page.Locator("#columns .figures [data-key=finish]")).ToHaveCountAsync(2);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#compare-view")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#columns .answer")).ToHaveCountAsync(0);
        Assert.Empty(page.Errors);
    }
}
