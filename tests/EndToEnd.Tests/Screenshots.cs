using Microsoft.Playwright;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// One PNG per step in the test output (artifacts/e2e), to see what the browser saw when a step fails; the README's
/// pictures are refreshed in docs/screenshots only when STORAGEHA_UPDATE_SCREENSHOTS=1, so a plain test run leaves
/// the working tree alone.
/// </summary>
public sealed class Screenshots
{
    private int _step;

    /// <param name="set">A subfolder of its own, for a test that runs beside others (each cleans its folder first).</param>
    public Screenshots(string? set = null)
    {
        Here = set is null ? Folder : Path.Combine(Folder, set);
        Directory.CreateDirectory(Here);
        foreach (var old in Directory.GetFiles(Here, "*.png")) File.Delete(old);
    }

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "e2e");

    /// <summary>Where this test's pictures go.</summary>
    public string Here { get; }

    public static bool UpdateReadme => Environment.GetEnvironmentVariable("STORAGEHA_UPDATE_SCREENSHOTS") == "1";

    /// <summary>Saves the viewport as NN-name.png; with <paramref name="readmeName"/>, also as the README's docs/screenshots/NAME.png.</summary>
    public async Task TakeAsync(IPage page, string name, string? readmeName = null)
    {
        var path = Path.Combine(Here, $"{++_step:00}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        if (readmeName is not null && UpdateReadme)
        {
            var docs = Path.Combine(RepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, readmeName + ".png"), overwrite: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
                return dir.FullName;
        throw new InvalidOperationException($"No repository root (Directory.Build.props beside src/) above {AppContext.BaseDirectory}.");
    }
}
