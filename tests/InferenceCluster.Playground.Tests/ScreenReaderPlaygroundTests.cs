using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>The page as a screen reader presents it: controls found by their names, errors announced.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ScreenReaderPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task ResetButton_NamesItsSetting_AndResetsThatOneAlone()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "0.3");
        await page.SetAsync(page.ChatSettings, "seed", "7");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Reset Temperature", Exact = true }).ClickAsync();

        await Expect(PlaygroundPage.Field(page.ChatSettings, "temperature")).ToHaveValueAsync("");
        await Expect(PlaygroundPage.Field(page.ChatSettings, "seed")).ToHaveValueAsync("7");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Send_ServerRejectsASetting_TheErrorIsAnnounced()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.SetAsync(page.ChatSettings, "temperature", "5");

        await page.SendAsync("Too hot " + Guid.NewGuid().ToString("N")[..8]);

        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'temperature' must be between 0 and 2");
    }
}
