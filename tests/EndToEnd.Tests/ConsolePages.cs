using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>What every browser test does with the console's pages: sign in, add a key, wait for the circuit, call the API.</summary>
public static class ConsolePages
{
    /// <summary>Signs in on the login page and waits until the Blazor circuit runs.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
        await WaitForCircuitAsync(page);
    }

    /// <summary>On a console with no user yet: the first-run page makes the administrator and signs them in.</summary>
    public static async Task CreateFirstAdminAsync(IPage page, Screenshots shots, string user, string password, string? readmeName = null)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/setup$"));
        await Expect(page.GetByText("Create the administrator account")).ToBeVisibleAsync();
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#confirm").FillAsync(password);
        await shots.TakeAsync(page, "first-run-setup", readmeName);
        await page.Locator("#create-admin").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await WaitForCircuitAsync(page);
        await Expect(page.Locator(".signed-in-user")).ToContainTextAsync(user);
    }

    /// <summary>Adds an SSH private key on the Credentials page; with <paramref name="readme"/>, its pictures are the README's.</summary>
    public static async Task AddPrivateKeyCredentialAsync(IPage page, Screenshots shots, string name, string privateKey, bool readme = false)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Credentials" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/credentials$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add private key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Add private key")).ToBeVisibleAsync();
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await dialog.GetByLabel("Private key", new() { Exact = true }).FillAsync(privateKey);
        await shots.TakeAsync(page, "credential-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await ExpectClosedAsync(dialog);
        var row = page.Locator("table tr", new() { HasText = name });
        await Expect(row).ToContainTextAsync("SSH key");
        // An imported key shows its public half, never the private one.
        await Expect(page.Locator("body")).Not.ToContainTextAsync(privateKey.Split('\n')[1]);
        await DismissMessagesAsync(page);
        await shots.TakeAsync(page, "credentials", readme ? "credentials" : null);
    }

    /// <summary>Closes the snackbars so they do not cover the README pictures.</summary>
    public static async Task DismissMessagesAsync(IPage page)
    {
        var close = page.Locator(".mud-snackbar button");
        while (await close.CountAsync() > 0)
            try { await close.First.ClickAsync(new() { Timeout = 2000 }); } catch (TimeoutException) { }
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
    }

    /// <summary>A click on a prerendered page is lost until the Blazor circuit runs; the layout says when it does.</summary>
    /// <summary>Waits for a dialog to close after its Save; one that stays open fails saying what it shows (its validation
    /// message or error), which a bare count expectation would not.</summary>
    public static async Task ExpectClosedAsync(ILocator dialog)
    {
        try
        {
            await Expect(dialog).ToHaveCountAsync(0);
        }
        catch (PlaywrightException e)
        {
            var shown = string.Join(" / ", await dialog.AllInnerTextsAsync()).ReplaceLineEndings(" ");
            throw new PlaywrightException($"The dialog stayed open, showing: {shown}", e);
        }
    }

    public static Task WaitForCircuitAsync(IPage page) => Expect(page.Locator("[data-circuit='live']")).ToHaveCountAsync(1);

    /// <summary>Every error the browser saw: failed requests and console errors (a broken circuit logs one).</summary>
    public static List<string> WatchForProblems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (problems) problems.Add($"console: {message.Text} at {message.Location}"); };
        page.PageError += (_, error) => { lock (problems) problems.Add($"page error: {error}"); };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                lock (problems) problems.Add($"{response.Status} {response.Url}");
        };
        return problems;
    }

    /// <summary>
    /// Calls the console's REST API from the page, as the signed-in user (the browser's cookie): the browser is where the
    /// console can be reached from. Throws with the answer unless it is a 2xx; returns the JSON body (or null).
    /// </summary>
    public static async Task<JsonElement?> ApiAsync(IPage page, string method, string path, object? body = null)
    {
        var answer = await page.EvaluateAsync<JsonElement>("""
            async ([method, path, body]) => {
                const response = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ?? undefined });
                return { status: response.status, text: await response.text() };
            }
            """, new object?[] { method, path, body is null ? null : JsonSerializer.Serialize(body, Json) });
        var status = answer.GetProperty("status").GetInt32();
        var text = answer.GetProperty("text").GetString() ?? "";
        if (status is < 200 or > 299) throw new InvalidOperationException($"{method} {path} answered {status}: {text}");
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
