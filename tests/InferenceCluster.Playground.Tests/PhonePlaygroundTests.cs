using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>The page on a phone (390 × 844): the conversation first, the settings one button away.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PhonePlaygroundTests(PlaygroundFixture cluster)
{
    [Fact]
    public async Task Open_PhoneScreen_SettingsWaitBehindAButtonAndGoWithTheNextRequest()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var settings = page.ChatSettings;
        var toggle = page.Page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true });

        // The conversation and its box fill the screen; the settings do not push them away.
        await Expect(settings).ToBeHiddenAsync();
        await Expect(page.Page.Locator("#prompt")).ToBeInViewportAsync();
        await Expect(toggle).ToBeInViewportAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(settings).ToBeInViewportAsync();

        // A sheet over the page: a modal dialog, named, to a screen reader as much as to the eye.
        var dialog = page.Page.GetByRole(AriaRole.Dialog, new() { Name = "Settings of the next request" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToHaveAttributeAsync("aria-modal", "true");
        await Expect(settings.Locator("select[name=profile]")).ToBeFocusedAsync();
        await page.SetAsync(settings, "max_tokens", "12");
        await Expect(PlaygroundPage.Field(settings, "max_tokens")).ToBeInViewportAsync();

        // Escape closes the panel and gives the keyboard back to the button that opened it.
        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(settings).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await page.SendAsync("Briefly " + Guid.NewGuid().ToString("N")[..8]);
        await PlaygroundPage.WaitForFinishAsync(page.Answers.Last);
        Assert.Equal(12, page.ChatRequests[^1].GetProperty("max_tokens").GetInt32());
        Assert.Equal("12", await PlaygroundPage.EffectiveAsync(page.Answers.Last, "max_tokens"));
        var overflow = await page.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task SettingsSheet_ValueRefused_TheSettingsButtonSaysSoUntilItIsChanged()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var toggle = page.Page.Locator("#settings-toggle");
        await toggle.ClickAsync();
        await page.SetAsync(page.ChatSettings, "temperature", "5");
        await page.Page.Keyboard.PressAsync("Escape");

        // The gateway refuses the value by name; the field it names is marked behind the closed sheet, and the button
        // that opens the sheet is the one place on the screen that can say so.
        await page.SendAsync("Too hot " + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Answers.Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bfailed\b"));
        await Expect(toggle).ToHaveAccessibleNameAsync("Settings (a value was refused)");
        await Expect(toggle).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bflagged\b"));

        await toggle.ClickAsync();
        await Expect(PlaygroundPage.Field(page.ChatSettings, "temperature")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.SetAsync(page.ChatSettings, "temperature", "0.7");
        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAccessibleNameAsync("Settings");
        await Expect(toggle).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bflagged\b"));
    }

    [Fact]
    public async Task SettingsSheet_TapOutside_OnlyClosesTheSheet()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        var toggle = page.Page.Locator("#settings-toggle");
        await toggle.ClickAsync();
        await Expect(page.ChatSettings).ToBeInViewportAsync();

        // A tap where the dimmed Compare tab shows through: the sheet closes, the mode stays.
        var tab = await page.Page.Locator("#mode-compare").BoundingBoxAsync();
        Assert.NotNull(tab);
        await page.Page.Mouse.ClickAsync(tab.X + (tab.Width / 2), tab.Y + (tab.Height / 2));

        await Expect(page.ChatSettings).ToBeHiddenAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Page.Locator("#mode-chat")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Page.Locator("#chat-view")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task SettingsSheet_Tab_KeepsTheKeyboardInTheSheet()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.Locator("#settings-toggle").ClickAsync();
        await Expect(page.ChatSettings.Locator("select[name=profile]")).ToBeFocusedAsync();
        var controls = await page.ChatSettings.Locator("button:visible, select:visible, input:visible").CountAsync();

        // Round the sheet once and a little more, each way: focus never leaves it.
        foreach (var key in new[] { "Tab", "Shift+Tab" })
        {
            for (var i = 0; i < controls + 2; i++)
            {
                await page.Page.Keyboard.PressAsync(key);
                Assert.True(
                    await page.Page.EvaluateAsync<bool>("() => document.getElementById('chat-settings').contains(document.activeElement)"),
                    $"{key} #{i + 1} moved the focus out of the open settings sheet");
            }
        }

        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Compare_PhoneScreen_ColumnSettingsFoldedUntilOpened()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");

        await Expect(PlaygroundPage.Field(page.Column(0), "temperature")).ToBeHiddenAsync();
        await Expect(page.Column(1).Locator(".column-output")).ToBeInViewportAsync();

        // Folded, a column's summary is all one sees of its settings: it says what the column sets, under the column's
        // heading, and names the column to a screen reader.
        var summary = page.Column(0).Locator("summary");
        await Expect(page.Column(0).GetByRole(AriaRole.Heading, new() { Name = "Column 1" })).ToBeVisibleAsync();
        await Expect(summary).ToHaveTextAsync("Settings · server defaults");
        await Expect(summary).ToHaveAccessibleNameAsync("Column 1 settings · server defaults");
        await summary.ClickAsync();
        await Expect(PlaygroundPage.Field(page.Column(0), "temperature")).ToBeVisibleAsync();
        await page.SetAsync(page.Column(0), "temperature", "0");
        await page.SetAsync(page.Column(0), "seed", "5");
        await Expect(summary).ToHaveAccessibleNameAsync("Column 1 settings · temperature 0 · seed 5");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Compare_PhoneScreen_ThePageFollowsTheAnswersDownwardsOnly()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.Column(0).Locator("summary").ClickAsync();
        await page.SetAsync(page.Column(0), "temperature", "0");
        await page.Column(1).Locator("summary").ClickAsync();
        await page.SetAsync(page.Column(1), "temperature", "0.3");
        await page.SetAsync(page.Column(1), "seed", "5");
        for (var i = 0; i < 2; i++)
        {
            // Past the answer (min_tokens keeps the model writing), so that both columns write answer text at once.
            await page.SetAsync(page.Column(i), "max_tokens", "400");
            await page.SetAsync(page.Column(i), "min_tokens", "400");
            await page.Column(i).Locator("summary").ClickAsync();
        }

        // An upward scroll that leaves the page at its bottom is the browser's clamp after the page grew shorter (a
        // column's reasoning folds away when its answer begins), not the page moving the reader.
        await page.Page.EvaluateAsync(
            """
            () => {
              window.upward = 0;
              let last = scrollY;
              addEventListener('scroll', () => {
                const atBottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
                if (scrollY < last - 1 && !atBottom) window.upward++;
                last = scrollY;
              });
            }
            """);
        await page.Page.FillAsync("#compare-prompt", "What is 17 + 25?");
        await page.Page.ClickAsync("#compare-run");
        await PlaygroundPage.WaitForFinishAsync(page.Column(0).Locator(".answer"));
        await PlaygroundPage.WaitForFinishAsync(page.Column(1).Locator(".answer"));

        Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => window.upward"));
        Assert.True(await page.Page.EvaluateAsync<double>("() => scrollY") > 0, "the page did not follow the answers down");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Compare_PhoneScreen_StopAllStaysInReachWhileColumnsRun()
    {
        await using var context = await cluster.NewContextAsync(width: 390, height: 844);
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);
        await page.Page.ClickAsync("#mode-compare");
        await page.RouteChatAsync(cluster.Address, StreamWithoutEnd.AnswerPath);
        await page.Page.FillAsync("#compare-prompt", "Go on and on " + Guid.NewGuid().ToString("N")[..8]);
        await page.StartAndWaitUntilStreamingAsync(() => page.Page.ClickAsync("#compare-run"), "#columns .answer", 2);

        // The columns stand one under the other and the page follows them down, far below the prompt; the reader
        // scrolls on down too.
        await page.Page.WaitForFunctionAsync("() => scrollY > 1000");
        await page.Page.Mouse.MoveAsync(195, 600);
        await page.Page.Mouse.WheelAsync(0, 400);

        // Stop all is on the screen, and a tap where it shows (not Playwright bringing it into view first) presses it.
        var stop = page.Page.Locator("#compare-stop");
        await Expect(stop).ToBeInViewportAsync();
        var box = await stop.BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await Expect(page.Page.Locator("#columns .answer.stopped")).ToHaveCountAsync(2);
        await Expect(page.Page.Locator("#compare-run")).ToBeVisibleAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Open_WideScreen_SettingsShownBesideTheConversationWithoutAButton()
    {
        await using var context = await cluster.NewContextAsync();
        var page = await PlaygroundPage.OpenAsync(context, cluster.Address);

        await Expect(page.ChatSettings).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#settings-toggle")).ToBeHiddenAsync();
        await Expect(page.Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.Empty(page.Errors);
    }
}
