using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InferenceCluster.Playground.Tests;

/// <summary>The playground in one browser tab, driven as a person would: fields, keys, buttons.</summary>
internal sealed class PlaygroundPage
{
    private readonly List<string> _errors = [];
    private readonly List<JsonElement> _chatRequests = [];

    private PlaygroundPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Add(error);
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/v1/chat/completions", StringComparison.Ordinal) && request.PostData is { } body)
            {
                var json = JsonDocument.Parse(body).RootElement.Clone();
                lock (_chatRequests)
                {
                    _chatRequests.Add(json);
                }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions of the page, content security policy violations included.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The bodies of the chat requests the page sent, in order: what the page asked for, as the gateway read it.</summary>
    public IReadOnlyList<JsonElement> ChatRequests
    {
        get
        {
            lock (_chatRequests)
            {
                return [.. _chatRequests];
            }
        }
    }

    public ILocator Answers => Page.Locator(".messages .answer");

    public static async Task<PlaygroundPage> OpenAsync(IBrowserContext context, Uri address, string? key = PlaygroundFixture.Key)
    {
        var page = new PlaygroundPage(await context.NewPageAsync());
        await page.Page.GotoAsync(address.ToString());
        await Expect(page.Page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        if (key is not null)
        {
            await page.Page.FillAsync("#api-key", key);
            await Expect(page.Page.Locator($"#model option[value='{PlaygroundFixture.Model}']")).ToHaveCountAsync(1);
        }

        return page;
    }

    /// <summary>The number field of a setting in a panel (<c>#chat-settings</c>, or a compare column).</summary>
    public static ILocator Field(ILocator panel, string name) => panel.Locator($"[data-field={name}] input[type=number]");

    public ILocator ChatSettings => Page.Locator("#chat-settings");

    public ILocator Column(int index) => Page.Locator("#columns .column").Nth(index);

    public async Task SetAsync(ILocator panel, string name, string value) => await Field(panel, name).FillAsync(value);

    /// <summary>
    /// Sends the page's chat requests to one of the test gateway's own streams (<paramref name="path"/>), so that the
    /// page reads a stream the test shapes, with a real abort.
    /// </summary>
    public Task RouteChatAsync(Uri gateway, string path)
    {
        var url = new Uri(gateway, path).ToString();
        return Page.RouteAsync("**/v1/chat/completions", route => route.ContinueAsync(new() { Url = url }));
    }

    /// <summary>Waits until every compare column has written <paramref name="lines"/> more lines than now.</summary>
    public async Task WaitForMoreColumnLinesAsync(int lines)
    {
        const string Count = "() => [...document.querySelectorAll('#columns .answer-text')].map(t => t.textContent.split('\\n').length)";
        var now = await Page.EvaluateAsync<int[]>(Count);
        await Page.WaitForFunctionAsync($"([now, more]) => ({Count})().every((n, i) => n >= now[i] + more)", new object[] { now, lines });
    }

    public async Task SendAsync(string prompt)
    {
        await Page.FillAsync("#prompt", prompt);
        await Page.PressAsync("#prompt", "Enter");
    }

    /// <summary>
    /// Runs <paramref name="start"/> and waits until exactly <paramref name="count"/> answers match
    /// <paramref name="selector"/> and all of them are still streaming with text shown: the text arrives while the
    /// generation runs, not at its end. A MutationObserver, set before <paramref name="start"/> runs, latches the moment
    /// it holds: a poll can fall wholly between the first text and the end of a short, fast stream, and an observer
    /// set after the send can come too late for the whole of one on a loaded machine.
    /// </summary>
    public async Task StartAndWaitUntilStreamingAsync(Func<Task> start, string selector, int count)
    {
        await Page.EvaluateAsync(
            """
            ([selector, count]) => {
              const holds = () => {
                const all = [...document.querySelectorAll(selector)];
                return all.length === count && all.every(a => a.classList.contains('streaming')
                  && /\S/.test(a.querySelector('.answer-text').textContent + a.querySelector('.reasoning-text').textContent));
              };
              window.streamingSeen = false;
              const observer = new MutationObserver(() => {
                if (holds()) { window.streamingSeen = true; observer.disconnect(); }
              });
              observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """,
            new object[] { selector, count });
        await start();
        await Page.WaitForFunctionAsync("() => window.streamingSeen === true", null, new PageWaitForFunctionOptions { PollingInterval = 20, Timeout = 60_000 });
    }

    public static Task WaitForFinishAsync(ILocator answer) =>
        Expect(answer.Locator(".figures [data-key=finish]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 120_000 });

    /// <summary>A value of the effective config shown under an answer.</summary>
    public static Task<string> EffectiveAsync(ILocator answer, string key) => answer.Locator($".effective [data-key={key}] dd").InnerTextAsync();

    public static Task<string> FigureAsync(ILocator answer, string key) => answer.Locator($".figures [data-key={key}] b").InnerTextAsync();

    /// <summary>The streamed text of an answer, reasoning and answer together.</summary>
    public static async Task<string> TextAsync(ILocator answer) =>
        await answer.Locator(".reasoning-text").TextContentAsync() + await answer.Locator(".answer-text").TextContentAsync();
}
