using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>With API keys on, the page itself loads without one; the key typed in the page opens /v1.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PageAccessTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Open_KeysOnAndNoKeyYet_AsksForTheKeyThenServes()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);

        await Expect(page.Page.Locator("#status")).ToContainTextAsync("Enter your API key");
        await Expect(page.Page.Locator("#key-hint")).ToContainTextAsync("required");
        await Expect(page.Page.Locator("#api-key")).ToHaveAttributeAsync("placeholder", "paste your API key");
        await Expect(page.Page.Locator("#model option")).ToHaveCountAsync(0);

        await page.Page.FillAsync("#api-key", PlaygroundFixture.Key);
        await Expect(page.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#status")).ToBeHiddenAsync();
        await page.SetAsync(page.ChatSettings, "max_tokens", "8");
        await page.SendAsync("Hello " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);

        // The key stays for this tab: a reload finds it there.
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);

        // Without a key the page asked for none of /v1: no refused request in the console.
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_NoKeyYet_KeepsSayingTheKeyIsMissingAndPointsToIt()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(page.Page.Locator("#status")).ToContainTextAsync("Enter your API key");

        await page.SendAsync("Hello?");

        // Not "Pick a model first": there is none to pick until the key is in.
        await Expect(page.Page.Locator("#status")).ToContainTextAsync("Enter your API key");
        await Expect(page.Page.Locator("#api-key")).ToBeFocusedAsync();
        await Expect(page.Page.Locator("#prompt")).ToHaveValueAsync("Hello?");
        await Expect(page.Answers).ToHaveCountAsync(0);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_StatusLineShown_TheMessageBoxStaysWholeOnTheScreen()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);

        // The status line takes its height from the conversation, not from below the window.
        await Expect(page.Page.Locator("#status")).ToBeVisibleAsync();
        foreach (var control in new[] { "#prompt", "#send" })
        {
            await Expect(page.Page.Locator(control)).ToBeInViewportAsync(new() { Ratio = 1 });
        }

        Assert.Equal(0, await page.Page.EvaluateAsync<double>("() => document.documentElement.scrollHeight - innerHeight"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_ShortWideWindow_TheSettingsScrollInTheirPanelAndThePageFits()
    {
        await using var context = await cluster.NewContextAsync(width: 1280, height: 600);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // The settings are taller than the window: they scroll on their own, beside a conversation that fits it.
        var reset = page.ChatSettings.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Reset to defaults" });
        await reset.ScrollIntoViewIfNeededAsync();
        await Expect(reset).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Page.Locator("#send")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(0, await page.Page.EvaluateAsync<double>("() => document.documentElement.scrollHeight - innerHeight"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_WrongKey_ShowsTheGatewaysError()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.FillAsync("#api-key", "sk-wrong");
        await Expect(page.Page.Locator("#status")).ToContainTextAsync("Incorrect API key");
    }

    [Fact]
    public async Task Open_NoModelServedYet_ListsItOnceAWorkerAnnouncesIt()
    {
        await using var context = await cluster.NewContextAsync();
        var served = 0;
        await context.RouteAsync("**/v1/models", async route =>
        {
            if (Volatile.Read(ref served) == 0)
            {
                await route.FulfillAsync(new() { ContentType = "application/json", Body = """{"object":"list","data":[]}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await page.Page.FillAsync("#api-key", PlaygroundFixture.Key);
        await Expect(page.Page.Locator("#status")).ToContainTextAsync("No model is served yet");

        // The worker announces itself after the page opened: the page finds it without a reload.
        Volatile.Write(ref served, 1);
        await Expect(page.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#status")).ToBeHiddenAsync();
        Assert.Empty(page.Errors);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_NarrowScreen_NothingWiderThanTheScreen(bool compare)
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        if (compare)
        {
            await page.Page.ClickAsync("#mode-compare");
        }

        var overflow = await page.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
        await Expect(page.Page.Locator(compare ? "#compare-run" : "#send")).ToBeInViewportAsync();
        Assert.Empty(page.Errors);
    }
}
