using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace StorageHa.Client.Components.Layout;

public partial class MainLayout
{
    // Remembered per browser in localStorage: no account setting, survives logout, and needs no JS file of our own.
    private const string DarkModeKey = "storageha.darkMode";

    private MudThemeProvider? _themeProvider;
    private bool _darkMode;
    private bool _drawerOpen = true;
    // Set once the circuit runs: a click on a merely prerendered page is lost, so browser tests wait for "live".
    private bool _interactive;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        _interactive = true;
        var stored = await TryJsAsync(() => JS.InvokeAsync<string?>("localStorage.getItem", DarkModeKey).AsTask());
        var dark = stored switch
        {
            "true" => true,
            "false" => false,
            _ => _themeProvider is not null && await TryJsAsync(() => _themeProvider.GetSystemDarkModeAsync()),
        };
        _darkMode = dark;
        StateHasChanged();
    }

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        await TryJsAsync(async () =>
        {
            await JS.InvokeVoidAsync("localStorage.setItem", DarkModeKey, _darkMode ? "true" : "false");
            return true;
        });
    }

    /// <summary>Dark mode is a nicety: if the browser refuses storage or has gone, the console works on in light mode.</summary>
    private static async Task<T?> TryJsAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            return default;
        }
    }
}
