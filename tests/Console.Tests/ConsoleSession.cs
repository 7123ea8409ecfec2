using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Console.Tests;

/// <summary>
/// A browser context (its own cookies and session) and its page, recording every response (status, headers,
/// and the body of each page, script, style and download) and every browser console message and page error,
/// so that a test can prove no canary came out through any of them.
/// </summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<Task<string>> _captured = new();
    private readonly ConcurrentQueue<string> _console = new();

    private ConsoleSession(IBrowserContext context, IPage page, Uri admin)
    {
        Context = context;
        Page = page;
        Admin = admin;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri Admin { get; }

    /// <summary>Browser console messages and page errors seen so far.</summary>
    public IReadOnlyCollection<string> ConsoleMessages => _console;

    /// <summary>A new context and page on the admin surface; dialogs (confirmations) are accepted.</summary>
    public static async Task<ConsoleSession> OpenAsync(IBrowser browser, Uri admin)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = admin.ToString().TrimEnd('/'), AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var session = new ConsoleSession(context, page, admin);
        page.Console += (_, message) => session._console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => session._console.Enqueue("pageerror: " + error);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        page.Response += (_, response) => session._captured.Enqueue(Capture(response));
        return session;
    }

    public async Task SignInAsync(string key)
    {
        await Page.GotoAsync("/console/sign-in");
        await Page.GetByLabel("Admin key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }

    public async Task<IResponse> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        return response;
    }

    /// <summary>Everything this session received (status lines, headers, bodies) and every console message, as one text.</summary>
    public async Task<string> EverythingSeenAsync()
    {
        var parts = new List<string>();
        foreach (var capture in _captured)
        {
            parts.Add(await capture);
        }

        parts.AddRange(_console);
        return string.Join("\n", parts);
    }

    /// <summary>Asserts that no canary appears in any response (status, headers, body) or console message of this session.</summary>
    public async Task AssertNoCanariesAsync()
    {
        var seen = await EverythingSeenAsync();
        Assert.False(string.IsNullOrEmpty(seen));
        foreach (var canary in ConsoleStack.Canaries)
        {
            Assert.False(seen.Contains(canary, StringComparison.OrdinalIgnoreCase), $"The canary '{canary}' came out of the console.");
        }
    }

    /// <summary>Saves a screenshot for docs/console.md when GATEWAY_CONSOLE_SCREENSHOTS names a folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("GATEWAY_CONSOLE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private static async Task<string> Capture(IResponse response)
    {
        var headers = await response.AllHeadersAsync();
        var text = $"{response.Status} {response.Url}\n{string.Join("\n", headers.Select(h => h.Key + ": " + h.Value))}";
        if (response.Status is >= 300 and < 400)
        {
            return text;
        }

        try
        {
            return text + "\n" + await response.TextAsync();
        }
        catch (PlaywrightException)
        {
            // A body that is gone (a navigation replaced the page): its headers were still captured.
            return text;
        }
    }
}
