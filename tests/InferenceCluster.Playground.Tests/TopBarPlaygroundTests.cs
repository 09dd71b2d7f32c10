using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>On a phone the top bar leaves the screen to the conversation, and every control in it stays in reach.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class TopBarPlaygroundTests(PlaygroundFixture cluster, ITestOutputHelper output)
{
    /// <summary>
    /// A generous bound: two rows of controls, each a 44 px touch target (the modes; the model and the key under their
    /// labels): 132 px measured, where 26 px controls took 98 px. The bar once took 220 px, four rows, a quarter of the screen.
    /// </summary>
    private const double MostHeight = 136;

    [Fact]
    public async Task Open_PhoneScreen_TheTopBarIsCompactAndEveryControlInItReachable()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        var height = await page.Page.Locator(".topbar").EvaluateAsync<double>("bar => bar.getBoundingClientRect().height");
        output.WriteLine($"top bar at 390 x 844: {height} px");
        Assert.True(height <= MostHeight, $"the top bar takes {height} px of an 844 px screen (at most {MostHeight})");

        // Each control is on the screen whole, with its name (the key's box says "Remember" in short), in the
        // keyboard's order.
        var remember = page.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember on this device" });
        await Expect(page.Page.Locator("#model")).ToHaveAccessibleNameAsync("Model");
        await Expect(page.Page.Locator("#api-key")).ToHaveAccessibleNameAsync("API key");
        await Expect(page.Page.Locator("#api-key")).ToHaveAccessibleDescriptionAsync("required · kept for this tab only");
        string[] order = ["#mode-chat", "#mode-compare", "#model", "#api-key", "#remember-key"];
        foreach (var control in order)
        {
            await Expect(page.Page.Locator(control)).ToBeInViewportAsync(new() { Ratio = 1 });
        }

        await page.Page.Locator(order[0]).FocusAsync();
        foreach (var control in order[1..])
        {
            await page.Page.Keyboard.PressAsync("Tab");
            await Expect(page.Page.Locator(control)).ToBeFocusedAsync();
        }

        // A tap on the short label ticks the box.
        await page.Page.Locator("label.remember").ClickAsync();
        await Expect(remember).ToBeCheckedAsync();
        await page.Page.Locator("#mode-compare").ClickAsync();
        await Expect(page.Page.Locator("#compare-view")).ToBeVisibleAsync();
        var overflow = await page.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
        Assert.Empty(page.Errors);
    }
}
