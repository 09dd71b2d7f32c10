using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// The page remembers the mode, the model and every panel's settings across a reload (in local storage, apart from the
/// API key); a remembered value the server no longer offers gives way to the default; Reset to defaults forgets them.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class RememberedSettingsPlaygroundTests(PlaygroundFixture cluster)
{
    private const string Storage = "inference-cluster.settings";

    [Fact]
    public async Task Reload_SettingsOfBothModes_AreThereAgainAndGoWithTheNextRequest()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var chat = page.ChatSettings;
        await chat.Locator("select[name=profile]").SelectOptionAsync("math");
        await page.SetAsync(chat, "temperature", "0.2");
        await page.SetAsync(chat, "max_tokens", "48");
        await page.SetAsync(chat, "seed", "7");
        await chat.Locator("input[name=stop]").FillAsync("###|@@");
        await page.Page.ClickAsync("#mode-compare");
        await page.Page.ClickAsync("#compare-add");
        await page.SetAsync(page.Column(1), "temperature", "1.1");
        await page.Column(2).Locator("select[name=profile]").SelectOptionAsync(PlaygroundFixture.FloorProfile);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        // Back in compare mode, with its three columns as they were.
        await Expect(page.Page.Locator("#compare-view")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(3);
        await Expect(PlaygroundPage.Field(page.Column(0), "temperature")).ToHaveValueAsync(string.Empty);
        await Expect(PlaygroundPage.Field(page.Column(1), "temperature")).ToHaveValueAsync("1.1");
        await Expect(page.Column(2).Locator("select[name=profile]")).ToHaveValueAsync(PlaygroundFixture.FloorProfile);
        await Expect(page.Page.Locator("#model")).ToHaveValueAsync(PlaygroundFixture.Model);

        await page.Page.ClickAsync("#mode-chat");
        await Expect(chat.Locator("select[name=profile]")).ToHaveValueAsync("math");
        await Expect(PlaygroundPage.Field(chat, "temperature")).ToHaveValueAsync("0.2");
        await Expect(PlaygroundPage.Field(chat, "max_tokens")).ToHaveValueAsync("48");
        await Expect(PlaygroundPage.Field(chat, "seed")).ToHaveValueAsync("7");
        await Expect(chat.Locator("input[name=stop]")).ToHaveValueAsync("###|@@");

        var request = await page.Page.RunAndWaitForRequestAsync(() => page.SendAsync("What is 17 + 25?"), "**/v1/chat/completions");
        var sent = JsonDocument.Parse(request.PostData!).RootElement;
        Assert.Equal($"{PlaygroundFixture.Model}:math", sent.GetProperty("model").GetString());
        Assert.Equal(0.2, sent.GetProperty("temperature").GetDouble());
        Assert.Equal(48, sent.GetProperty("max_tokens").GetInt32());
        Assert.Equal(7, sent.GetProperty("seed").GetInt32());
        Assert.Equal(["###", "@@"], sent.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));

        // The settings are kept apart from the key: what they hold says nothing of it.
        var stored = await page.Page.EvaluateAsync<string>($"() => localStorage.getItem('{Storage}')");
        Assert.DoesNotContain(PlaygroundFixture.Key, stored, StringComparison.Ordinal);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task TwoTabs_EachChangesItsOwnMode_BothChangesAreRemembered()
    {
        await using var context = await cluster.NewContextAsync();
        var chatTab = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var compareTab = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // Both tabs were open before either changed anything: the later change must not take back the earlier.
        await chatTab.SetAsync(chatTab.ChatSettings, "top_k", "40");
        await compareTab.Page.ClickAsync("#mode-compare");
        await compareTab.SetAsync(compareTab.Column(1), "seed", "9");

        var next = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await Expect(PlaygroundPage.Field(next.Column(1), "seed")).ToHaveValueAsync("9");
        await next.Page.ClickAsync("#mode-chat");
        await Expect(PlaygroundPage.Field(next.ChatSettings, "top_k")).ToHaveValueAsync("40");
        Assert.Empty(next.Errors);
    }

    [Fact]
    public async Task Open_RememberedValuesNoLongerOffered_FallBackToTheDefaults()
    {
        await using var context = await cluster.NewContextAsync();

        // Remembered from an earlier visit: a model and a profile the server no longer has, values out of range or of
        // the wrong kind, more columns than there is room for.
        await RememberAsync(context, """
            {"mode":"compare","model":"gone-model",
             "chat":{"profile":"gone","temperature":7,"top_k":2.5,"seed":"abc","max_tokens":48,"stop":"not a list"},
             "compare":[{"temperature":-1},{"top_p":0.5},{},{},{},{},{},{},{}]}
            """);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        await Expect(page.Page.Locator("#model")).ToHaveValueAsync(PlaygroundFixture.Model);
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(4);
        await Expect(PlaygroundPage.Field(page.Column(0), "temperature")).ToHaveValueAsync(string.Empty);
        await Expect(PlaygroundPage.Field(page.Column(1), "top_p")).ToHaveValueAsync("0.5");
        await page.Page.ClickAsync("#mode-chat");
        var chat = page.ChatSettings;
        await Expect(chat.Locator("select[name=profile]")).ToHaveValueAsync(string.Empty);
        foreach (var name in new[] { "temperature", "top_k", "seed" })
        {
            await Expect(PlaygroundPage.Field(chat, name)).ToHaveValueAsync(string.Empty);
        }

        await Expect(PlaygroundPage.Field(chat, "max_tokens")).ToHaveValueAsync("48");
        await Expect(chat.Locator("input[name=stop]")).ToHaveValueAsync(string.Empty);

        // The page works as on a first visit: the question goes out with what is left, and is answered.
        await page.SendAsync("Hello " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        var sent = page.ChatRequests[^1];
        Assert.Equal(PlaygroundFixture.Model, sent.GetProperty("model").GetString());
        Assert.False(sent.TryGetProperty("temperature", out _));
        Assert.Empty(page.Errors);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("""{"mode":5,"model":[],"chat":"x","compare":{"0":{}}}""")]
    public async Task Open_RememberedSettingsUnreadable_StartsFromTheDefaults(string stored)
    {
        await using var context = await cluster.NewContextAsync();
        await RememberAsync(context, stored);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        await Expect(page.Page.Locator("#chat-view")).ToBeVisibleAsync();
        await Expect(PlaygroundPage.Field(page.ChatSettings, "temperature")).ToHaveValueAsync(string.Empty);
        await page.Page.ClickAsync("#mode-compare");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(2);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_SiteStorageBlocked_ThePageWorksForThisVisit()
    {
        await using var context = await cluster.NewContextAsync();

        // As with a browser set to block this site's data: every use of local storage throws.
        await context.AddInitScriptAsync(
            "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The site may not store data.', 'SecurityError'); } });");
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        await page.SetAsync(page.ChatSettings, "max_tokens", "8");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Reset to defaults" }).ClickAsync();
        await page.SetAsync(page.ChatSettings, "max_tokens", "8");
        await page.SendAsync("Hello " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal(8, page.ChatRequests[^1].GetProperty("max_tokens").GetInt32());
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task ResetToDefaults_Click_ClearsThePanelNowAndOnTheNextVisit()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var chat = page.ChatSettings;
        await chat.Locator("select[name=profile]").SelectOptionAsync("math");
        await page.SetAsync(chat, "temperature", "0.3");
        await chat.Locator("input[name=stop]").FillAsync("END");
        await page.Page.ClickAsync("#mode-compare");
        await page.SetAsync(page.Column(0), "seed", "3");
        await page.SetAsync(page.Column(1), "seed", "4");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Reset Column 1 to defaults" }).ClickAsync();
        await Expect(PlaygroundPage.Field(page.Column(0), "seed")).ToHaveValueAsync(string.Empty);
        await Expect(page.Column(0).Locator("summary")).ToHaveAccessibleNameAsync("Column 1 settings · server defaults");
        await Expect(PlaygroundPage.Field(page.Column(1), "seed")).ToHaveValueAsync("4");
        await page.Page.ClickAsync("#mode-chat");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Reset to defaults" }).ClickAsync();
        await Expect(chat.Locator("select[name=profile]")).ToHaveValueAsync(string.Empty);
        await Expect(PlaygroundPage.Field(chat, "temperature")).ToHaveValueAsync(string.Empty);
        await Expect(chat.Locator("input[name=stop]")).ToHaveValueAsync(string.Empty);

        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(PlaygroundPage.Field(chat, "temperature")).ToHaveValueAsync(string.Empty);
        await Expect(chat.Locator("select[name=profile]")).ToHaveValueAsync(string.Empty);
        await page.Page.ClickAsync("#mode-compare");
        await Expect(PlaygroundPage.Field(page.Column(0), "seed")).ToHaveValueAsync(string.Empty);
        await Expect(PlaygroundPage.Field(page.Column(1), "seed")).ToHaveValueAsync("4");

        // The key is the connection's, not a setting: it stays.
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        Assert.Empty(page.Errors);
    }

    /// <summary>Stores <paramref name="settings"/> as an earlier visit would have, before the page's first script runs.</summary>
    private static Task RememberAsync(IBrowserContext context, string settings) =>
        context.AddInitScriptAsync($"localStorage.setItem('{Storage}', {JsonSerializer.Serialize(settings)});");
}
