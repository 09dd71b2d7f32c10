using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>Compare mode's columns as they are added and removed: their numbers, and where the keyboard goes.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class CompareColumnsPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task RemoveColumn_OneOfThree_TheOthersAreNumberedAsTheyStand()
    {
        await using var context = await cluster.NewContextAsync(width: 1440, height: 900);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.Page.ClickAsync("#compare-add");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(3);
        await page.SetAsync(page.Column(2), "seed", "7");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Column 2", Exact = true }).ClickAsync();

        // The third column, its settings kept, is the second now; one added after it is the third, not a second "3".
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(2);
        await Expect(page.Column(1).Locator("summary")).ToHaveAccessibleNameAsync("Column 2 settings · seed 7");
        await Expect(page.Column(1).Locator(".panel-title")).ToHaveTextAsync(new Regex("^Column 2"));
        await Expect(page.Column(1).GetByRole(AriaRole.Button, new() { Name = "Remove Column 2", Exact = true })).ToBeHiddenAsync();
        await page.Page.ClickAsync("#compare-add");
        string[] expected = ["Column 1 settings · server defaults", "Column 2 settings · seed 7", "Column 3 settings · server defaults"];
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            await Expect(page.Column(i).Locator("summary")).ToHaveAccessibleNameAsync(expected[i]);
        }

        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_WideScreen_EachColumnShowsItsNameOnce()
    {
        await using var context = await cluster.NewContextAsync(width: 1440, height: 900);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await Expect(page.Column(0).Locator(".column-settings")).ToHaveAttributeAsync("open", string.Empty);

        // Side by side the settings stand open: the column's heading names it, the summary above its fields does not
        // say it again.
        for (var i = 0; i < 2; i++)
        {
            var shown = await page.Column(i).InnerTextAsync();
            Assert.Single(Regex.Matches(shown, $@"\bColumn {i + 1}\b", RegexOptions.IgnoreCase));
            await Expect(page.Column(i).Locator("summary")).ToHaveTextAsync("Settings · server defaults");
        }

        // Folded, the name is still in sight.
        await page.Column(0).Locator("summary").ClickAsync();
        await Expect(PlaygroundPage.Field(page.Column(0), "temperature")).ToBeHiddenAsync();
        await Expect(page.Column(0).GetByRole(AriaRole.Heading, new() { Name = "Column 1" })).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task AddAndRemoveColumns_KeyboardOnly_TheFocusStaysWithTheColumns()
    {
        await using var context = await cluster.NewContextAsync(width: 1440, height: 900);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await Expect(page.Page.Locator("#compare-prompt")).ToBeFocusedAsync();

        // Add column twice: the second fills the page and disables the button; the keyboard is on the new column.
        await page.Page.Keyboard.PressAsync("Tab");
        await Expect(page.Page.Locator("#compare-add")).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#compare-add")).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(4);
        await Expect(page.Column(3).Locator("summary")).ToBeFocusedAsync();

        // Removing a column leaves the keyboard on the one now in its place, or on the one before the last.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Column 2", Exact = true }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Column(1).Locator("summary")).ToBeFocusedAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Column 3", Exact = true }).FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(2);
        await Expect(page.Column(1).Locator("summary")).ToBeFocusedAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task RemoveColumn_WhileItStreams_ClosesItsStreamAndTheOthersGoOn()
    {
        await using var context = await cluster.NewContextAsync(width: 1440, height: 900);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.Page.ClickAsync("#compare-add");
        var answerForever = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = answerForever }));
        var prompt = "Three at once " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.FillAsync("#compare-prompt", prompt);
        await page.StartAndWaitUntilStreamingAsync(() => page.Page.PressAsync("#compare-prompt", "Enter"), "#columns .answer", 3);

        // The removed column's stream is closed (the gateway's cue to cancel its generation); the other two write on.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Column 2", Exact = true }).ClickAsync();
        await cluster.EndlessStreams.ClosedAsync(prompt).WaitAsync(TimeSpan.FromSeconds(30));
        await Expect(page.Page.Locator("#columns .answer.streaming")).ToHaveCountAsync(2);
        await Expect(page.Page.Locator("#compare-stop")).ToBeVisibleAsync();

        await page.Page.ClickAsync("#compare-stop");
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }
}
