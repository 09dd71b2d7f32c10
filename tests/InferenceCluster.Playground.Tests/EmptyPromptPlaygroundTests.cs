using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// An empty box sends nothing and says why: its button looks unavailable while the box is empty, and stays in the
/// keyboard's reach.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class EmptyPromptPlaygroundTests(PlaygroundFixture cluster)
{
    [Theory]
    [InlineData(false, "#prompt", "#send", "#prompt-hint")]
    [InlineData(true, "#compare-prompt", "#compare-run", "#compare-hint")]
    public async Task Send_EmptyBox_SaysWhyNextToTheBoxAndSendsNothing(bool compare, string box, string button, string hint)
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        if (compare)
        {
            await page.Page.ClickAsync("#mode-compare");
        }

        var send = page.Page.Locator(button);
        await Expect(send).ToHaveAttributeAsync("aria-disabled", "true");

        // Spaces are no message either. The button is reached with Tab and pressed with Enter: the reason is said next
        // to the box, which takes the cursor back.
        await page.Page.FillAsync(box, "   ");
        await Expect(send).ToHaveAttributeAsync("aria-disabled", "true");
        await send.FocusAsync();
        await Expect(send).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator(hint)).ToHaveTextAsync("Type a message first: an empty one is not sent.");
        await Expect(page.Page.Locator(hint)).ToBeVisibleAsync();
        await Expect(page.Page.Locator(box)).ToBeFocusedAsync();
        await Expect(page.Page.Locator(box)).ToHaveAccessibleDescriptionAsync("Type a message first: an empty one is not sent.");

        // Enter in the empty box says it too; typing takes the reason away and makes the button look pressable again.
        await page.Page.Locator(hint).EvaluateAsync("hint => hint.textContent = ''");
        await page.Page.PressAsync(box, "Enter");
        await Expect(page.Page.Locator(hint)).ToHaveTextAsync("Type a message first: an empty one is not sent.");
        await page.Page.Locator(box).PressSequentiallyAsync("Hi");
        await Expect(send).ToHaveAttributeAsync("aria-disabled", "false");
        await Expect(page.Page.Locator(hint)).ToBeHiddenAsync();

        Assert.Empty(page.ChatRequests);
        await Expect(page.Page.Locator(".answer")).ToHaveCountAsync(0);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_QuestionSent_TheEmptiedBoxMakesSendLookUnavailableAgain()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.RouteChatAsync(cluster.Address, StreamInPieces.Path);
        await page.SendAsync("Hello " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        await Expect(page.Answers.Last.Locator(".answer-text")).ToContainTextAsync("Piece 5.");

        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync(string.Empty);
        await Expect(page.Page.Locator("#send")).ToHaveAttributeAsync("aria-disabled", "true");
        Assert.Empty(page.Errors);
    }
}
