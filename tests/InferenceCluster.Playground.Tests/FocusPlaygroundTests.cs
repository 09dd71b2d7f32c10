using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>On load the cursor is where the reader types first, and the page stays where it is.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class FocusPlaygroundTests(PlaygroundFixture cluster)
{
    [Theory]
    [InlineData(1280, 860)]
    [InlineData(390, 400)]
    public async Task Open_KeyKept_TheCursorIsInTheMessageBox(int width, int height)
    {
        await using var context = await cluster.NewContextAsync(width, height);

        // A returning reader: the key was typed on an earlier visit.
        await context.AddInitScriptAsync($"localStorage.setItem('inference-cluster.api-key', '{PlaygroundFixture.Key}');");
        var page = await context.NewPageAsync();
        await page.GotoAsync(cluster.Address.ToString());
        await Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);

        await Expect(page.Locator("#prompt")).ToBeFocusedAsync();

        // On a short phone screen the box is below the fold: the page is still shown from its top.
        Assert.Equal(0, await page.EvaluateAsync<double>("() => scrollY"));
        await page.Keyboard.TypeAsync("What is 2 + 2?");
        await Expect(page.Locator("#prompt")).ToHaveValueAsync("What is 2 + 2?");
    }

    [Fact]
    public async Task Open_KeyNeededAndNoneKept_TheCursorIsInTheKeyField()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);

        // Nothing can be sent before the key is in: that is what the reader types first.
        await Expect(page.Page.Locator("#api-key")).ToBeFocusedAsync();
        await page.Page.Keyboard.TypeAsync(PlaygroundFixture.Key);
        await Expect(page.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        Assert.Empty(page.Errors);
    }
}
