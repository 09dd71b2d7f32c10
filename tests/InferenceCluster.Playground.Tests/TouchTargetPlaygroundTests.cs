using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Under a finger (a narrow screen, or a coarse pointer at any width) every button, select, checkbox, disclosure and
/// field (text, number, slider, the prompt's box) the page shows is at least 44 × 44 CSS px, as measured by the
/// browser's own layout; a mouse keeps the compact ones.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class TouchTargetPlaygroundTests(PlaygroundFixture cluster, ITestOutputHelper output)
{
    private const double Least = 44;

    // Each visible control's box; a checkbox's is its label's, which takes the tap as the box does.
    private const string TooSmall =
        """
        (least) => [...document.querySelectorAll('button, select, input, textarea, summary')]
          .filter(el => el.checkVisibility())
          .map(el => {
            const box = (el.type === 'checkbox' ? el.closest('label') ?? el : el).getBoundingClientRect();
            const name = el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.type;
            return { name: `${el.tagName.toLowerCase()} "${name}"`, width: box.width, height: box.height };
          })
          .filter(c => c.width < least || c.height < least)
          .map(c => `${c.name}: ${c.width.toFixed(1)} x ${c.height.toFixed(1)}`)
        """;

    [Fact]
    public async Task Open_PhoneScreen_EveryControlIsAtLeast44PxSquare()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        // An answer with its reasoning and Copy, then a refusal with its Retry: every control an answer can show.
        var requests = 0;
        var endless = new Uri(cluster.Address, StreamWithoutEnd.AnswerPath).ToString();
        await page.Page.RouteAsync("**/v1/chat/completions", route => Interlocked.Increment(ref requests) == 1
            ? route.ContinueAsync(new() { Url = endless })
            : route.FulfillAsync(new() { Status = 429, Headers = new Dictionary<string, string> { ["Retry-After"] = "0" }, ContentType = "application/json", Body = """{"error":{"message":"Not now.","code":"model_queue_full"}}""" }));
        await page.SendAsync("Go on " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers.Last.Locator(".answer-text")).ToContainTextAsync("Line 1 ");
        await page.Page.ClickAsync("#stop");
        await page.SendAsync("Are you free? " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers.Last.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeEnabledAsync();
        var tooSmall = await MeasureAsync(page, "chat");

        // The settings sheet, with a value set so that its reset shows.
        await page.Page.ClickAsync("#settings-toggle");
        await page.SetAsync(page.ChatSettings, "temperature", "0.5");
        tooSmall.AddRange(await MeasureAsync(page, "settings sheet"));
        await page.Page.Keyboard.PressAsync("Escape");

        // Compare with three columns (each with its Remove), their settings open.
        await page.Page.ClickAsync("#mode-compare");
        await page.Page.ClickAsync("#compare-add");
        for (var i = 0; i < 3; i++)
        {
            await page.Column(i).Locator("summary").ClickAsync();
        }

        await page.SetAsync(page.Column(0), "seed", "5");
        tooSmall.AddRange(await MeasureAsync(page, "compare"));

        Assert.True(tooSmall.Count == 0, $"smaller than {Least} x {Least} px at 390 x 844:\n{string.Join("\n", tooSmall)}");
        var overflow = await page.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
        Assert.All(page.Errors, error => Assert.StartsWith("Failed to load resource", error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_WideTouchScreen_EveryControlIsAtLeast44PxSquare()
    {
        await using var context = await cluster.NewContextAsync(width: 1024, height: 768, touch: true);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        Assert.True(await page.Page.EvaluateAsync<bool>("() => matchMedia('(pointer: coarse)').matches"), "the emulated touch screen is no coarse pointer");

        var tooSmall = await MeasureAsync(page, "1024 x 768, touch");
        Assert.True(tooSmall.Count == 0, $"smaller than {Least} x {Least} px on a touch screen:\n{string.Join("\n", tooSmall)}");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_WideScreenWithAMouse_KeepsTheCompactControls()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        var mode = await page.Page.Locator("#mode-chat").BoundingBoxAsync();
        var bar = await page.Page.Locator(".topbar").BoundingBoxAsync();
        Assert.NotNull(mode);
        Assert.NotNull(bar);
        output.WriteLine($"at 1280 x 860 with a mouse: mode button {mode.Height} px, top bar {bar.Height} px");
        Assert.True(mode.Height < 40, $"the mode button is {mode.Height} px tall under a mouse");
        Assert.True(bar.Height <= 90, $"the top bar takes {bar.Height} px under a mouse (87 px before touch targets grew)");
        Assert.Empty(page.Errors);
    }

    private async Task<List<string>> MeasureAsync(PlaygroundPage page, string where)
    {
        var found = await page.Page.EvaluateAsync<string[]>(TooSmall, Least);
        foreach (var control in found)
        {
            output.WriteLine($"{where}: {control}");
        }

        return [.. found.Select(control => $"{where}: {control}")];
    }
}
