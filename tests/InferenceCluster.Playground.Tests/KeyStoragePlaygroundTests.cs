using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Where the page keeps the API key: for the tab (session storage) unless "Remember on this device" is ticked (local
/// storage); a key an earlier page kept in local storage stays remembered; every tab's box follows the device's choice.
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

    [Fact]
    public async Task RememberOnThisDevice_ClearedInAnotherTab_ThisTabFollowsAndKeepsTheKeyOffTheDevice()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await remember.CheckAsync();
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        var otherRemember = other.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await Expect(otherRemember).ToBeCheckedAsync();

        // The user opts out in the first tab: the other one shows it, and an edit of its key stays off the device.
        await remember.UncheckAsync();
        await Expect(otherRemember).Not.ToBeCheckedAsync();
        await Expect(other.Page.Locator("#key-hint")).ToHaveTextAsync("required · kept for this tab only");
        await EditKeyAsync(other.Page);
        Assert.Null(await StoredAsync(other.Page, "localStorage"));

        // The other tab still holds the key, for itself: a reload finds it there, the box clear.
        await other.Page.ReloadAsync();
        await Expect(other.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        await Expect(otherRemember).Not.ToBeCheckedAsync();
        Assert.Null(await StoredAsync(other.Page, "localStorage"));
        Assert.Empty(page.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task RememberOnThisDevice_TickedInAnotherTab_AKeyEditHereKeepsItRemembered()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await Expect(remember).Not.ToBeCheckedAsync();

        // The other tab asks the device to remember the key: this tab follows, so its next key edit does not take the key
        // off the device.
        await other.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" }).CheckAsync();
        await Expect(remember).ToBeCheckedAsync();
        await Expect(page.Page.Locator("#key-hint")).ToHaveTextAsync("required · remembered on this device");
        await EditKeyAsync(page.Page);
        Assert.Equal(PlaygroundFixture.Key, await StoredAsync(page.Page, "localStorage"));

        // A tab opened now finds it.
        var third = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await Expect(third.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        Assert.Empty(page.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task RememberOnThisDevice_TickedInATabWithAnotherKey_ThisTabKeepsItsOwnKeyForItself()
    {
        const string otherKey = "sk-playground-another-tab";
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address, key: null);
        await other.Page.Locator("#api-key").FillAsync(otherKey);

        // The other tab ticks its box with its own key. Storage events come in order: once this tab has seen the item
        // the other one writes afterwards, it has seen the tick.
        await page.Page.EvaluateAsync("() => addEventListener('storage', (e) => { if (e.key === 'sync') document.body.dataset.synced = 'true'; })");
        await other.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" }).CheckAsync();
        await Expect(other.Page.Locator("#key-hint")).ToHaveTextAsync("required · remembered on this device");
        await other.Page.EvaluateAsync("() => localStorage.setItem('sync', '1')");
        await Expect(page.Page.Locator("body[data-synced=true]")).ToHaveCountAsync(1);

        // This tab used a key of its own: it keeps it, for itself.
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await Expect(remember).Not.ToBeCheckedAsync();
        await Expect(page.Page.Locator("#api-key")).ToHaveValueAsync(PlaygroundFixture.Key);
        await Expect(page.Page.Locator("#key-hint")).ToHaveTextAsync("required · kept for this tab only");

        // Its key stays its own: an edit of it goes to this tab alone, and the other tab keeps the device's key.
        await EditKeyAsync(page.Page);
        Assert.Equal(otherKey, await StoredAsync(page.Page, "localStorage"));
        Assert.Equal(PlaygroundFixture.Key, await StoredAsync(page.Page, "sessionStorage"));
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(otherKey);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task RememberOnThisDevice_KeyForgottenInAnotherTab_ThisTabKeepsItNowhere()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var other = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        var otherRemember = other.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await remember.CheckAsync();
        await Expect(otherRemember).ToBeCheckedAsync();

        // The user empties the key field in the first tab: the device forgets the key, and so does the other tab, its
        // box still ticked (the box was not cleared).
        await page.Page.Locator("#api-key").FillAsync(string.Empty);
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(string.Empty);
        await Expect(otherRemember).ToBeCheckedAsync();
        Assert.Null(await StoredAsync(other.Page, "localStorage"));
        Assert.Null(await StoredAsync(other.Page, "sessionStorage"));

        // A reload of the other tab finds no key anywhere.
        await other.Page.ReloadAsync();
        await Expect(other.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(other.Page.Locator("#api-key")).ToHaveValueAsync(string.Empty);
    }

    /// <summary>
    /// Types a space after the key and takes it back: two edits of the field, each saved, that never change the key sent
    /// (the page trims it), so no request is refused meanwhile.
    /// </summary>
    private static async Task EditKeyAsync(IPage page)
    {
        var key = page.Locator("#api-key");
        await key.PressAsync("End");
        await key.PressSequentiallyAsync(" ");
        await Expect(key).ToHaveValueAsync(PlaygroundFixture.Key + " ");
        await key.PressAsync("Backspace");
        await Expect(key).ToHaveValueAsync(PlaygroundFixture.Key);
    }

    private static Task<string?> StoredAsync(IPage page, string storage) =>
        page.EvaluateAsync<string?>($"() => {storage}.getItem('{Storage}')");
}
