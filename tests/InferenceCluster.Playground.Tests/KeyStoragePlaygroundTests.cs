using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Where the page keeps the API key: for the tab (session storage) unless "Remember on this device" is ticked (local
/// storage); a key an earlier page kept in local storage stays remembered.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class KeyStoragePlaygroundTests(PlaygroundFixture cluster)
{
    private const string Storage = "inference-cluster.api-key";

    [Fact]
    public async Task TypeKey_ByDefault_KeptForThisTabOnly()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });

        await Expect(remember).Not.ToBeCheckedAsync();
        await Expect(page.Page.Locator("#key-hint")).ToHaveTextAsync("required · kept for this tab only");
        await Expect(page.Page.Locator("#api-key")).ToHaveAccessibleDescriptionAsync("required · kept for this tab only");
        Assert.Null(await StoredAsync(page.Page, "localStorage"));
        Assert.Equal(PlaygroundFixture.Key, await StoredAsync(page.Page, "sessionStorage"));

        // A reload of the tab keeps it; another tab of the same browser does not see it.
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(string.Empty);
        await Expect(other.Page.Locator("#status")).ToContainTextAsync("Enter your API key");
        Assert.Empty(page.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task RememberOnThisDevice_TickedThenCleared_AnotherTabHasTheKeyOnlyWhileTicked()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });

        await remember.CheckAsync();
        await Expect(page.Page.Locator("#key-hint")).ToHaveTextAsync("required · remembered on this device");
        Assert.Equal(PlaygroundFixture.Key, await StoredAsync(page.Page, "localStorage"));
        Assert.Null(await StoredAsync(page.Page, "sessionStorage"));
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        await Expect(other.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" })).ToBeCheckedAsync();
        await Expect(other.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        await other.Page.CloseAsync();

        // Cleared, the device forgets the key; this tab still holds it, a reload too.
        await remember.UncheckAsync();
        await Expect(page.Page.Locator("#key-hint")).ToHaveTextAsync("required · kept for this tab only");
        Assert.Null(await StoredAsync(page.Page, "localStorage"));
        await page.Page.ReloadAsync();
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        await Expect(remember).Not.ToBeCheckedAsync();
        var third = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(third.Page.Locator("#api-key")).ToHaveValueAsync(string.Empty);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_KeyKeptInLocalStorageByAnEarlierPage_StillWorksAndStaysRemembered()
    {
        await using var context = await cluster.NewContextAsync();
        var earlier = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await earlier.Page.EvaluateAsync($"() => localStorage.setItem('{Storage}', '{PlaygroundFixture.Key}')");
        await earlier.Page.CloseAsync();

        var page = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        await Expect(page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" })).ToBeCheckedAsync();
        await Expect(page.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        Assert.Equal(PlaygroundFixture.Key, await StoredAsync(page.Page, "localStorage"));
        Assert.Empty(page.Errors);
    }

    private static Task<string?> StoredAsync(IPage page, string storage) =>
        page.EvaluateAsync<string?>($"() => {storage}.getItem('{Storage}')");
}
