using System.Text.Json;
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
        await page.SetAsync(page.ChatSettings, "max_tokens", "1500");
        await page.SetAsync(page.ChatSettings, "min_tokens", "1500");
        await page.SendAsync("Talk for a very long time " + Guid.NewGuid().ToString("N")[..8]);
        await page.WaitUntilStreamingAsync(".messages .answer.streaming", 1);

        await page.Page.ClickAsync("#clear");
        await Expect(page.Page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Answers).ToHaveCountAsync(0);
        await page.SetAsync(page.ChatSettings, "max_tokens", "12");
        await page.SetAsync(page.ChatSettings, "min_tokens", "");
        var fresh = "A new conversation " + Guid.NewGuid().ToString("N")[..8];
        await page.SendAsync(fresh);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        // The stopped answer of the cleared conversation belongs to it alone.
        Assert.Equal([("user", fresh)], Messages(page.ChatRequests[^1]));
        Assert.Empty(page.Errors);
    }

    private static List<(string Role, string Content)> Messages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];
}
