using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Compare mode follows its answers down while the reader is at the end; a move up is the reader's, whenever the page
/// hears of it.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class CompareFollowPlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task MovedUpWithoutAGesture_PieceArrivesBeforeTheScrollEvent_StaysWhereTheReaderIs()
    {
        await using var context = await cluster.NewContextAsync(width: 1280, height: 720);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Write on " + Guid.NewGuid().ToString("N")[..8]);
        await page.Page.PressAsync("#compare-prompt", "Enter");
        await page.Page.WaitForFunctionAsync("() => scrollY > 800");

        // The scroll event of a move up comes a frame after the move, and a piece may arrive in between. Held back here
        // (a listener ahead of the page's own stops it), that frame lasts as long as the test likes: whatever keeps the
        // reader in place is the page looking where it stands when a piece arrives, not the event.
        await page.Page.EvaluateAsync(
            """
            () => {
              window.holdScrollEvents = true;
              addEventListener('scroll', (event) => { if (window.holdScrollEvents) event.stopImmediatePropagation(); }, true);
            }
            """);

        // Find in page jumps to a match above: the page moves up with no wheel, finger or key of the page's own.
        var followed = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.EvaluateAsync("() => scrollBy(0, -600)");
        var reading = await page.Page.EvaluateAsync<double>("() => scrollY");
        Assert.True(reading < followed - 100, "the page did not move up");
        await page.WaitForMoreColumnLinesAsync(10);
        Assert.True(await page.Page.EvaluateAsync<double>("() => scrollY") <= reading + 1, "a piece pulled the reader back down");

        // The events flow again, and back at the end the page follows again.
        await page.Page.EvaluateAsync("() => { window.holdScrollEvents = false; }");
        await page.Page.Mouse.MoveAsync(640, 360);
        await page.Page.Mouse.WheelAsync(0, 100_000);
        await page.Page.WaitForFunctionAsync("() => scrollY + innerHeight >= document.documentElement.scrollHeight - 32");
        var back = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.WaitForFunctionAsync("y => scrollY > y + 200", back);

        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }
}
