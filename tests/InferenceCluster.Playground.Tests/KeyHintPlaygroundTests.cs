using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>Shortcut hints in the words of the reader's keyboard: ⌘ and Return on a Mac, Ctrl and Enter elsewhere.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class KeyHintPlaygroundTests(PlaygroundFixture cluster)
{
    private const string MacUserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

    [Theory]
    [InlineData(true, "⌘C", "Return sends, Shift+Return for a new line")]
    [InlineData(false, "Ctrl+C", "Enter sends, Shift+Enter for a new line")]
    public async Task Copy_WithoutClipboard_SelectsTheAnswerAndNamesTheSystemsCopyKeys(bool mac, string copyKeys, string sendHint)
    {
        await using var context = await cluster.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            UserAgent = mac ? MacUserAgent : null,
        });

        // As outside a secure context, where the browser has no clipboard to write to.
        await context.AddInitScriptAsync("navigator.clipboard.writeText = () => Promise.reject(new DOMException('No clipboard here.', 'NotAllowedError'));");
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await Expect(page.Page.Locator("#prompt")).ToHaveAttributeAsync("placeholder", $"Message the model ({sendHint})");
        await page.SetAsync(page.ChatSettings, "temperature", "0");
        await page.SetAsync(page.ChatSettings, "max_tokens", "256");
        await page.SendAsync("What is 17 + 25?");
        var answer = page.Answers.Last;
        await PlaygroundPage.WaitForFinishAsync(answer);

        await answer.GetByRole(AriaRole.Button, new() { Name = "Copy answer" }).ClickAsync();

        var selected = answer.GetByRole(AriaRole.Button, new() { Name = $"Answer selected: press {copyKeys} to copy it" });
        await Expect(selected).ToHaveTextAsync($"Selected: press {copyKeys}");
        Assert.Equal(
            await answer.Locator(".answer-text").TextContentAsync(),
            await page.Page.EvaluateAsync<string>("() => getSelection().toString()"));
        Assert.Empty(page.Errors);
    }
}
