using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>Stopping an answer: what stays on the page, and what the next request carries as the conversation.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class StopPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Type_WhileStreaming_TheNextQuestionWaitsInTheBoxUntilTheAnswerEnds()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var reasoningForever = new Uri(cluster.Address, StreamWithoutEnd.ReasoningPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = reasoningForever }));
        await page.SendAsync("Think it over " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers.Last.Locator(".reasoning-text")).ToContainTextAsync("Step 3:");

        // The box takes the next question while the answer streams; Enter does not send it yet.
        var prompt = page.Page.Locator("#prompt");
        await Expect(prompt).ToBeEnabledAsync();
        var next = "And then? " + Guid.NewGuid().ToString("N")[..8];
        await prompt.FillAsync(next);
        await prompt.PressAsync("Enter");
        await Expect(page.Page.Locator("#stop")).ToBeVisibleAsync();
        Assert.Single(page.ChatRequests);

        // Stopping the answer leaves what was typed in the box, not the stopped question, and Enter sends it.
        await page.Page.ClickAsync("#stop");
        await Expect(page.Answers.Last).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        await Expect(prompt).ToHaveValueAsync(next);
        await page.Page.UnrouteAllAsync();
        await prompt.PressAsync("Enter");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", next)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task SendAndStop_KeyboardOnly_TheFocusGoesToStopThenBackToTheBox()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var answerForever = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = answerForever }));
        await page.Page.FillAsync("#prompt", "Send and stop " + Guid.NewGuid().ToString("N")[..8]);

        // Send hides itself for Stop, which takes the focus; stopping gives it to the box for the next question.
        await page.Page.Locator("#send").FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#stop")).ToBeFocusedAsync();
        await Expect(page.Answers.Last.Locator(".answer-text")).ToContainTextAsync("Line 1 ");
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Answers.Last).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        await Expect(page.Page.Locator("#prompt")).ToBeFocusedAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Stop_WhileStillReasoning_KeepsTheReasoningMarkedStoppedAndLeavesTheTurnOut()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        var reasoningForever = new Uri(cluster.Address, StreamWithoutEnd.ReasoningPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = reasoningForever }));
        var question = "Think it over " + Guid.NewGuid().ToString("N")[..8];

        await page.SendAsync(question);
        var stopped = page.Answers.Last;
        await Expect(stopped.Locator(".reasoning-text")).ToContainTextAsync("Step 3:");
        await page.Page.ClickAsync("#stop");

        // The reasoning read so far stays, marked as stopped; no empty answer is shown as if it were one.
        await Expect(stopped).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        await Expect(stopped.Locator(".reasoning summary")).ToContainTextAsync("stopped");
        await Expect(stopped.Locator(".reasoning-text")).ToContainTextAsync("Step 1: still thinking.");
        await Expect(stopped.Locator(".answer-text")).ToBeHiddenAsync();
        await Expect(stopped.Locator(".answer-error")).ToContainTextAsync("before the answer began");
        await Expect(page.Page.Locator(".user-message").Last).ToHaveClassAsync(new Regex(@"\bleft-out\b"));
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(question);

        // Its figures say what arrived before the stop; the token count comes with a stream's end, which never came.
        Assert.Equal("stopped", await PlaygroundPage.FigureAsync(stopped, "finish"));
        Assert.Equal("not counted", await PlaygroundPage.FigureAsync(stopped, "tokens"));
        var received = await PlaygroundPage.FigureAsync(stopped, "received");
        Assert.Equal($"{(await stopped.Locator(".reasoning-text").TextContentAsync())!.Length} characters", received);
        Assert.Matches(@"^\d+ ms$", await PlaygroundPage.FigureAsync(stopped, "ttft"));
        Assert.Matches(@"^\d+\.\d+ s$", await PlaygroundPage.FigureAsync(stopped, "time"));

        // The next request carries no answer that never came.
        await page.Page.UnrouteAllAsync();
        var next = "Answer this instead " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(next);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", next)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Stop_AfterTheAnswerBegan_TheNextRequestCarriesThePartOfTheAnswerShown()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");

        // An answer that is still being written when the click lands, however slow the machine: the test model's
        // longest (1500 tokens) runs out in about a second.
        var answerForever = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = answerForever }));
        var question = "Talk for a very long time " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(question);
        var stopped = page.Answers.Last;
        await Expect(stopped.Locator(".answer-text")).ToContainTextAsync("Line 2 ");
        await page.Page.ClickAsync("#stop");
        await Expect(stopped).ToHaveClassAsync(new Regex(@"\bstopped\b"));
        var shown = await stopped.Locator(".answer-text").TextContentAsync() ?? "";

        await page.Page.UnrouteAllAsync();
        var next = "And now briefly " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(next);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        // A stopped answer with text is part of the conversation, cut where it was stopped, its reasoning left out.
        Assert.StartsWith("Line 1 of an answer", shown, StringComparison.Ordinal);
        Assert.Equal([("user", question), ("assistant", shown), ("user", next)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    private static List<(string Role, string Content)> Messages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];
}
