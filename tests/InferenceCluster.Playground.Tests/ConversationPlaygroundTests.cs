using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// The conversation a person holds in chat mode: what each request carries as history after a new chat or a
/// failed turn, and that a long answer stays in view while it streams.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ConversationPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task NewChat_WhileStreaming_TheNextRequestCarriesNoEarlierTurn()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");

        // Still streaming when New chat is pressed, however slow the machine.
        var answerForever = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = answerForever }));
        await page.SendAsync("Talk for a very long time " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers.Last.Locator(".answer-text")).ToContainTextAsync("Line 2 ");

        await page.Page.ClickAsync("#clear");
        await Expect(page.Page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Answers).ToHaveCountAsync(0);
        await page.Page.UnrouteAllAsync();
        var fresh = "A new conversation " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(fresh);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        // The stopped answer of the cleared conversation belongs to it alone.
        Assert.Equal([("user", fresh)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_GatewayUnreachable_SaysSoAndKeepsThePromptToSendAgain()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        var prompt = "Are you there? " + Guid.NewGuid().ToString("N")[..8];

        await context.SetOfflineAsync(true);
        await page.SendAsync(prompt);
        var failed = page.Answers.Last;
        await Expect(failed).ToHaveClassAsync(new Regex(@"\bfailed\b"));
        await Expect(failed.Locator(".answer-error")).ToContainTextAsync("Could not reach the gateway");
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(prompt);

        // Back online, Enter sends the same words again, and the failed turn is not in the history twice.
        await context.SetOfflineAsync(false);
        await page.Page.PressAsync("#prompt", "Enter");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", prompt)], Messages(page.ChatRequests[^1]));
    }

    [Fact]
    public async Task Send_ServerRefuses_TheTurnIsShownAsLeftOutOfTheConversation()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "5");

        await page.SendAsync("Too hot " + Guid.NewGuid().ToString("N")[..8]);

        await Expect(page.Answers.Last.Locator(".answer-error")).ToContainTextAsync("left out of the conversation");
        await Expect(page.Page.Locator(".user-message").Last).ToHaveClassAsync(new Regex(@"\bfailed\b"));

        // The setting the server named is marked where it is changed, until it is.
        var temperature = PlaygroundPage.Field(page.ChatSettings, "temperature");
        await Expect(temperature).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(PlaygroundPage.Field(page.ChatSettings, "top_p")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await temperature.FillAsync("0.5");
        await Expect(temperature).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task Send_LimitReachedWhileReasoning_SaysWhyThereIsNoAnswer()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // The test model reasons for about 94 tokens on this question before its answer.
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.SendAsync("What is 17 + 25?");
        var answer = page.Answers.Last;
        await PlaygroundPage.WaitForFinishAsync(answer);

        Assert.Equal("length", await PlaygroundPage.FigureAsync(answer, "finish"));
        await Expect(answer.Locator(".reasoning summary")).ToContainTextAsync("cut by max_tokens");
        await Expect(answer.Locator(".answer-error")).ToContainTextAsync("still reasoning: raise Max tokens");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_LimitReachedWhileReasoning_TheNextRequestCarriesNoEmptyAnswer()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        const string Question = "What is 17 + 25?";
        await page.SendAsync(Question);
        var cut = page.Answers.Last;
        await PlaygroundPage.WaitForFinishAsync(cut);

        // No answer came, so no turn happened: the question waits in the box for a larger limit.
        Assert.Equal("length", await PlaygroundPage.FigureAsync(cut, "finish"));
        await Expect(cut.Locator(".answer-error")).ToContainTextAsync("raise Max tokens for an answer. This turn is left out of the conversation; its question is back in the box.");
        await Expect(page.Page.Locator(".user-message").Last).ToHaveClassAsync(new Regex(@"\bleft-out\b"));
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(Question);

        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        await page.Page.PressAsync("#prompt", "Enter");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", Question)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_ConversationOutgrowsTheContext_SaysNewChatStartsWithoutTheEarlierTurns()
    {
        await using var context = await cluster.NewContextAsync();

        // The gateway's refusal of a prompt over the context, as it words it (ContextFitTests).
        var (page, question) = await RefusedAfterOneAnswerAsync(
            context, "messages", "The prompt has 2100 tokens; it and the completion must fit this model's context of 2048 tokens.");
        await Expect(page.Answers.Last.Locator(".answer-error")).ToContainTextAsync(
            "context of 2048 tokens. (parameter: messages) The earlier turns of this conversation go with every question; New chat starts one without them.");

        // New chat, and the question back in the box goes alone.
        await page.Page.UnrouteAllAsync();
        await page.Page.ClickAsync("#clear");
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(question);
        await page.Page.PressAsync("#prompt", "Enter");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", question)], Messages(page.ChatRequests[^1]));
    }

    [Fact]
    public async Task Send_ConversationWhoseMaxTokensDoesNotFitTheContext_NamesNoEarlierTurns()
    {
        await using var context = await cluster.NewContextAsync();

        // The worker's refusal of the reader's own max_tokens (TokenRoom): a new chat would be refused the same way.
        var (page, _) = await RefusedAfterOneAnswerAsync(
            context, "max_tokens", "The prompt (40 tokens) and 'max_tokens' (2040) exceed this model's context of 2048 tokens.");
        var refused = page.Answers.Last.Locator(".answer-error");
        await Expect(refused).ToContainTextAsync("(parameter: max_tokens)");
        await Expect(refused).Not.ToContainTextAsync("New chat");
    }

    [Fact]
    public async Task Send_FirstQuestionOverTheContext_NamesNoEarlierTurns()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "64");

        // A question too long on its own, refused by the gateway itself: no conversation to blame.
        await page.SendAsync(string.Concat(Enumerable.Repeat("What is 17 + 25? ", 400)));
        var refused = page.Answers.Last.Locator(".answer-error");
        await Expect(refused).ToContainTextAsync("must fit this model's context");
        await Expect(refused).Not.ToContainTextAsync("New chat");
    }

    [Fact]
    public async Task Send_StreamCutBeforeItsEnd_SaysSoAndKeepsTheTurnOutOfTheHistory()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "60");
        await page.SetAsync(page.ChatSettings, "min_tokens", "60");

        // A connection that ends cleanly after a few events, as a proxy that gives up does: no finish, no [DONE].
        await page.Page.RouteAsync("**/v1/chat/completions", async route =>
        {
            var response = await route.FetchAsync();
            var events = (await response.TextAsync()).Split("\n\n");
            await route.FulfillAsync(new() { Response = response, Body = string.Join("\n\n", events.Take(4)) + "\n\n" });
        });
        var prompt = "Cut me short " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(prompt);
        var cut = page.Answers.Last;
        await Expect(cut).ToHaveClassAsync(new Regex(@"\bfailed\b"));
        await Expect(cut.Locator(".answer-error")).ToContainTextAsync("ended before the answer was complete");

        await page.Page.UnrouteAllAsync();
        var next = "Again, whole " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(next);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal([("user", next)], Messages(page.ChatRequests[^1]));
    }

    [Fact]
    public async Task Send_StreamNotJson_SaysSoWithoutARetryToWaitFor()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.FulfillAsync(new()
        {
            ContentType = "text/event-stream",
            Body = "data: {\"choices\": [\n\n",
        }));
        var prompt = "Garbled " + Guid.NewGuid().ToString("N")[..8];

        await page.SendAsync(prompt);

        var failed = page.Answers.Last;
        await Expect(failed.Locator(".answer-error")).ToContainTextAsync("an event that is not JSON");
        await Expect(failed.Locator(".retry")).ToHaveCountAsync(0);
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(prompt);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_LongAnswer_TheConversationFollowsItsEnd()
    {
        await using var context = await cluster.NewContextAsync(width: 1280, height: 860);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "max_tokens", "1500");
        await page.SetAsync(page.ChatSettings, "min_tokens", "1500");

        await page.SendAsync("Talk for a very long time " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        var below = await page.Page.EvaluateAsync<double>(
            "() => { const m = document.getElementById('messages'); return m.scrollHeight - m.scrollTop - m.clientHeight; }");
        Assert.True(below < 40, $"the answer's last {below} px are below the visible part of the conversation");
        Assert.Empty(page.Errors);
    }

    private static List<(string Role, string Content)> Messages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];

    /// <summary>
    /// One question answered, then a second refused as over the context with <paramref name="message"/>, naming
    /// <paramref name="param"/>, as the gateway words such refusals; the page still routes chat requests to that refusal.
    /// </summary>
    private async Task<(PlaygroundPage Page, string Question)> RefusedAfterOneAnswerAsync(IBrowserContext context, string param, string message)
    {
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        await page.SendAsync("What is 17 + 25?");
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        var body = JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error", param, code = "context_length_exceeded" } });
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.FulfillAsync(new() { Status = 400, ContentType = "application/json", Body = body }));
        var question = "And what is 18 + 25? " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(question);
        return (page, question);
    }
}
