using MudBlazor;

namespace StorageHa.Client.Components.Layout;

/// <summary>The console's one theme: calm blue for actions, system fonts (the console may run with no internet).</summary>
public static class StorageHaTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Ubuntu", "Cantarell", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5fa8",
            Secondary = "#00897b",
            AppbarBackground = "#16324f",
            Background = "#f6f8fa",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8fe",
            Secondary = "#4db6ac",
            AppbarBackground = "#0f1b2a",
            Background = "#121417",
            Surface = "#1b1e23",
            DrawerBackground = "#16191d",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
        },
    };
}
