using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Compare mode: one prompt, columns with their own settings, all streaming at once. Each column's answer ran
/// with its own config at the worker; none leaked into another. Writes the README's screenshot when
/// <see cref="ScreenshotVariable"/> names a folder.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ComparePlaygroundTests(PlaygroundFixture cluster)
{
    public const string ScreenshotVariable = "PLAYGROUND_SCREENSHOT_DIR";

    [Fact]
    public async Task RunAll_TwoConfigs_StreamAtOnceEachWithItsOwnConfig()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(2);

        // Before the first run an empty column says what will show there.
        Assert.Contains(
            "appears here",
            await page.Column(0).Locator(".column-output").EvaluateAsync<string>("o => getComputedStyle(o, '::before').content"),
            StringComparison.Ordinal);

        var greedy = page.Column(0);
        var hot = page.Column(1);
        await page.SetAsync(greedy, "temperature", "0");
        await page.SetAsync(hot, "temperature", "1.3");
        await page.SetAsync(hot, "seed", "11");
        foreach (var column in new[] { greedy, hot })
        {
            // Long enough that both are still running when the other has begun.
            await page.SetAsync(column, "max_tokens", "400");
            await page.SetAsync(column, "min_tokens", "400");
        }

        var prompt = "Compare us " + Guid.NewGuid().ToString("N")[..8];
        await page.Page.FillAsync("#compare-prompt", prompt);
        await page.StartAndWaitUntilStreamingAsync(() => page.Page.PressAsync("#compare-prompt", "Enter"), "#columns .answer", 2);
        await PlaygroundPage.WaitForFinishAsync(greedy.Locator(".answer"));
        await PlaygroundPage.WaitForFinishAsync(hot.Locator(".answer"));

        Assert.Equal("greedy", await PlaygroundPage.EffectiveAsync(greedy.Locator(".answer"), "decoding"));
        Assert.Equal("0", await PlaygroundPage.EffectiveAsync(greedy.Locator(".answer"), "temperature"));
        Assert.Equal("1.3", await PlaygroundPage.EffectiveAsync(hot.Locator(".answer"), "temperature"));
        Assert.Equal("11", await PlaygroundPage.EffectiveAsync(hot.Locator(".answer"), "seed"));
        Assert.Equal("none", await PlaygroundPage.EffectiveAsync(greedy.Locator(".answer"), "seed"));

        var runs = cluster.RunsFor(prompt);
        Assert.Equal(2, runs.Count);
        var greedyRun = Assert.Single(runs, run => !run.Config.DoSample);
        var hotRun = Assert.Single(runs, run => run.Config.DoSample);
        Assert.Equal(0, greedyRun.Config.Temperature);
        Assert.Null(greedyRun.Config.Seed);
        Assert.Equal(1.3, hotRun.Config.Temperature);
        Assert.Equal(11, hotRun.Config.Seed);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Escape_WhileColumnsStream_StopsThemAll()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");

        // Streams that end only when closed. The test model's columns (1500 tokens each) could both be waited for in
        // vain: on a loaded machine one column's whole answer sometimes ended before the browser showed the other's
        // first piece, and "both streaming at once" never held. A worker's cancel is the chat Stop test's.
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Talk for a very long time " + Guid.NewGuid().ToString("N")[..8]);
        await page.StartAndWaitUntilStreamingAsync(() => page.Page.PressAsync("#compare-prompt", "Enter"), "#columns .answer", 2);
        await page.Page.Keyboard.PressAsync("Escape");

        for (var i = 0; i < 2; i++)
        {
            await Expect(page.Column(i).Locator(".answer")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstopped\b"));
            Assert.Equal("stopped", await PlaygroundPage.FigureAsync(page.Column(i).Locator(".answer"), "finish"));
        }

        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task RunAllAndStopAll_KeyboardOnly_TheFocusMovesBetweenThem()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Run and stop " + Guid.NewGuid().ToString("N")[..8]);

        // Each button hides itself for the other: the keyboard stays on the one that took its place.
        await page.Page.Locator("#compare-run").FocusAsync();
        await page.StartAndWaitUntilStreamingAsync(
            async () =>
            {
                await page.Page.Keyboard.PressAsync("Enter");
                await Expect(page.Page.Locator("#compare-stop")).ToBeFocusedAsync();
            },
            "#columns .answer",
            2);
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#compare-run")).ToBeFocusedAsync();
        await Expect(page.Page.Locator("#columns .answer.stopped")).ToHaveCountAsync(2);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task ScrollUp_WhileColumnsStream_StaysWhereTheReaderIsUntilBackAtTheEnd()
    {
        await using var context = await cluster.NewContextAsync(width: 1280, height: 720);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Write on " + Guid.NewGuid().ToString("N")[..8]);
        await page.Page.PressAsync("#compare-prompt", "Enter");

        // Untouched, the page follows the answers down.
        await page.Page.WaitForFunctionAsync("() => scrollY > 800");

        // The reader scrolls up with the wheel; the columns go on writing, and the page stays where the reader is.
        await page.Page.Mouse.MoveAsync(640, 360);
        var followed = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.Mouse.WheelAsync(0, -600);
        await page.Page.WaitForFunctionAsync("y => scrollY < y - 100", followed);
        var reading = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.WaitForMoreColumnLinesAsync(30);
        Assert.True(await page.Page.EvaluateAsync<double>("() => scrollY") <= reading + 1, "the page pulled the reader back down");

        // Back at the end, the page follows again.
        await page.Page.Mouse.WheelAsync(0, 100_000);
        await page.Page.WaitForFunctionAsync("() => scrollY + innerHeight >= document.documentElement.scrollHeight - 32");
        var back = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.WaitForFunctionAsync("y => scrollY > y + 200", back);

        await page.Page.ClickAsync("#compare-stop");
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task MovedUpWithoutAGesture_WhileColumnsStream_StaysWhereTheReaderIsUntilBackAtTheEnd()
    {
        await using var context = await cluster.NewContextAsync(width: 1280, height: 720);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Write on " + Guid.NewGuid().ToString("N")[..8]);
        await page.Page.PressAsync("#compare-prompt", "Enter");
        await page.Page.WaitForFunctionAsync("() => scrollY > 800");

        // Find in page jumps to a match above: the page moves up with no wheel, finger or key of the page's own.
        var followed = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.EvaluateAsync("() => scrollBy(0, -600)");
        var reading = await page.Page.EvaluateAsync<double>("() => scrollY");
        Assert.True(reading < followed - 100, "the page did not move up");
        await page.WaitForMoreColumnLinesAsync(30);
        Assert.True(await page.Page.EvaluateAsync<double>("() => scrollY") <= reading + 1, "the page pulled the reader back down");

        // Back at the end it follows again; Tab from the prompt then brings the button after it into view, above.
        await page.Page.Mouse.MoveAsync(640, 360);
        await page.Page.Mouse.WheelAsync(0, 100_000);
        await page.Page.WaitForFunctionAsync("() => scrollY + innerHeight >= document.documentElement.scrollHeight - 32");
        var back = await page.Page.EvaluateAsync<double>("() => scrollY");
        await page.Page.WaitForFunctionAsync("y => scrollY > y + 200", back);
        await Expect(page.Page.Locator("#compare-prompt")).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Tab");
        await Expect(page.Page.Locator("#compare-add")).ToBeFocusedAsync();
        await page.WaitForMoreColumnLinesAsync(30);
        await Expect(page.Page.Locator("#compare-add")).ToBeInViewportAsync();

        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task RunAll_ThreeColumnsWithProfiles_EachShowsItsOwnResult()
    {
        await using var context = await cluster.NewContextAsync(width: 1440, height: 900);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.Page.ClickAsync("#compare-add");
        await Expect(page.Page.Locator("#columns .column")).ToHaveCountAsync(3);

        await page.SetAsync(page.Column(0), "temperature", "0");
        await page.Column(1).Locator("select[name=profile]").SelectOptionAsync("math");
        await page.SetAsync(page.Column(1), "seed", "42");
        await page.SetAsync(page.Column(2), "temperature", "1.2");
        for (var i = 0; i < 3; i++)
        {
            // Room for the test model's reasoning and its answer (113 tokens greedy), so the picture shows answers.
            await page.SetAsync(page.Column(i), "max_tokens", "160");
        }

        await page.Page.FillAsync("#compare-prompt", "What is 17 + 25?");
        await page.Page.ClickAsync("#compare-run");
        for (var i = 0; i < 3; i++)
        {
            await PlaygroundPage.WaitForFinishAsync(page.Column(i).Locator(".answer"));
        }

        Assert.Equal("0", await PlaygroundPage.EffectiveAsync(page.Column(0).Locator(".answer"), "temperature"));
        Assert.Equal("42", await PlaygroundPage.EffectiveAsync(page.Column(1).Locator(".answer"), "seed"));
        Assert.Equal("1.2", await PlaygroundPage.EffectiveAsync(page.Column(2).Locator(".answer"), "temperature"));

        // The profile's values are the server's choice, so the answer says the server set them.
        await Expect(page.Column(1).Locator(".adjustments")).ToContainTextAsync("(profile math)");
        Assert.Empty(page.Errors);

        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } folder)
        {
            // Reasoning folded, so that the picture shows the settings, the answers and their configs together.
            await page.Page.EvaluateAsync("() => document.querySelectorAll('details.reasoning').forEach(d => d.open = false)");
            await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "playground.png"), FullPage = true });
        }
    }
}
