using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// A reload keeps the tab's conversation and the words typed but not sent (session storage: the tab's alone); an
/// answer still streaming at the reload comes back cut short, never as complete; New chat discards it all.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ReloadPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Reload_AfterAnAnswer_TheConversationAndTheUnsentWordsAreThereAgain()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        const string Question = "What is 17 + 25?";
        await page.SendAsync(Question);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        var answered = await page.Answers.Last.Locator(".answer-text").TextContentAsync() ?? "";
        var reasoning = await page.Answers.Last.Locator(".reasoning-text").TextContentAsync() ?? "";
        var draft = "And what is 3 + 4? " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.FillAsync("#prompt", draft);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        var answer = page.Answers.Last;
        await Expect(page.Page.Locator(".user-message")).ToHaveTextAsync([Question]);
        await Expect(page.Answers).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#empty-chat")).ToBeHiddenAsync();
        await Expect(answer.Locator(".answer-text")).ToHaveTextAsync(answered);
        await Expect(answer.Locator(".reasoning-text")).ToHaveTextAsync(reasoning);
        Assert.Equal("stop", await PlaygroundPage.FigureAsync(answer, "finish"));
        Assert.Equal("0", await PlaygroundPage.EffectiveAsync(answer, "temperature"));
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(draft);
        await Expect(page.Page.Locator("#send")).ToHaveAttributeAsync("aria-disabled", "false");

        // The next question carries the conversation shown.
        await page.Page.PressAsync("#prompt", "Enter");
        await Expect(page.Answers).ToHaveCountAsync(2);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.StartsWith("17 + 25 = 42", answered, StringComparison.Ordinal);
        Assert.Equal([("user", Question), ("assistant", answered), ("user", draft)], Messages(page.ChatRequests[^1]));

        // Kept for this tab only: nothing of it on the device, nothing in another tab.
        Assert.DoesNotContain(await page.Page.EvaluateAsync<string[]>("() => Object.keys(localStorage)"), key => key.Contains("conversation", StringComparison.Ordinal));
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await Expect(other.Answers).ToHaveCountAsync(0);
        await Expect(other.Page.Locator("#prompt")).ToHaveValueAsync(string.Empty);

        // New chat discards it, for the reload too.
        await page.Page.ClickAsync("#clear");
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Answers).ToHaveCountAsync(0);
        await Expect(page.Page.Locator("#empty-chat")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task Reload_AfterALeaveThePageOutlived_TheWordsTypedSinceAreThereAgain()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.FillAsync("#prompt", "What is 2 + 2?");

        // A beforeunload the page outlives (a reload stopped at once, a link that downloads): the page stays, and what
        // is typed afterwards is kept at the real leave.
        await page.Page.EvaluateAsync("() => dispatchEvent(new Event('beforeunload'))");
        var typed = " And 3 + 4? " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.Locator("#prompt").PressSequentiallyAsync(typed);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync("What is 2 + 2?" + typed);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Reload_WhileTheAnswerStreams_ItComesBackCutShortAndGoesOnAsFarAsItCame()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        var question = "Talk for a very long time " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(question);
        await Expect(page.Answers.Last.Locator(".answer-text")).ToContainTextAsync("Line 2 ");

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        // The reload closed the stream; the page says the answer is incomplete and shows no end it never had.
        await cluster.EndlessStreams.ClosedAsync(question).WaitAsync(TimeSpan.FromSeconds(30));
        var cut = page.Answers.Last;
        await Expect(cut).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        await Expect(cut).Not.ToHaveClassAsync(new Regex(@"\bstreaming\b"));
        await Expect(cut.Locator(".answer-error")).ToContainTextAsync("Incomplete: the page was reloaded before this answer ended");
        await Expect(cut.Locator(".answer-text")).ToContainTextAsync("Line 2 ");
        await Expect(cut.Locator(".figures [data-key=finish]")).ToHaveCountAsync(0);
        var shown = await cut.Locator(".answer-text").TextContentAsync() ?? "";

        // A second reload shows it the same, and the next question carries it as far as it came.
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Answers).ToHaveCountAsync(1);
        await Expect(page.Answers.Last.Locator(".answer-error")).ToContainTextAsync("Incomplete");
        await page.Page.UnrouteAllAsync();
        var next = "And now briefly " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(next);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", question), ("assistant", shown), ("user", next)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Reload_WhileTheModelStillReasons_TheTurnIsLeftOutAndItsQuestionIsBackInTheBox()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.ReasoningPath);
        var question = "Think it over " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(question);
        await Expect(page.Answers.Last.Locator(".reasoning-text")).ToContainTextAsync("Step 3:");

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        var cut = page.Answers.Last;
        await Expect(cut).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        await Expect(cut.Locator(".reasoning summary")).ToContainTextAsync("cut short");
        await Expect(cut.Locator(".answer-error")).ToContainTextAsync("This turn is left out of the conversation; its question is back in the box.");
        await Expect(page.Page.Locator(".user-message").Last).ToHaveClassAsync(new Regex(@"\bleft-out\b"));
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(question);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Reload_ConversationGrownPastTheStorage_StartsEmptyRatherThanShowAnOlderPart()
    {
        await using var context = await cluster.NewContextAsync();

        // As with a tab whose session storage is full: the conversation fits until its second question.
        await context.AddInitScriptAsync(
            """
            const setItem = Storage.prototype.setItem;
            Storage.prototype.setItem = function (name, value) {
              if (name === 'inference-cluster.conversation' && value.includes('Too much to keep')) throw new DOMException('full', 'QuotaExceededError');
              return setItem.call(this, name, value);
            };
            """);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.RouteChatAsync(cluster.Address, StreamInPieces.Path);
        await page.SendAsync("First " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        await page.SendAsync("Too much to keep " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers).ToHaveCountAsync(2);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#empty-chat")).ToBeVisibleAsync();
        await Expect(page.Answers).ToHaveCountAsync(0);
        Assert.Empty(page.Errors);
    }

    private static List<(string Role, string Content)> Messages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];
}
