using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using MudBlazor.Interop;
using MudBlazor.Services;
using StorageHa.Shared.Console;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// The one place that sets up a bUnit context like the console's host does: MudBlazor services, the page-facing
/// services (in-memory), a signed-in user, and the popover, dialog and snackbar providers the layout would render.
/// </summary>
public abstract class ConsoleTest : IAsyncLifetime
{
    protected ConsoleTest()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        // MudBlazor's charts draw their series once the browser measured the chart and its axis labels: measured here as a browser would.
        Ctx.JSInterop.Setup<ElementSize>("mudObserveElementSize", _ => true).SetResult(new() { Width = 700, Height = 300, Timestamp = 1 });
        Ctx.JSInterop.Setup<ElementSize>("mudGetSvgBBox", _ => true).SetResult(new() { Width = 40, Height = 12, Timestamp = 1 });
        Ctx.Services.AddMudServices();
        Ctx.Services.AddSingleton<IInventory>(Inventory);
        NodeAccess = new TestNodeAccess(Inventory);
        Ctx.Services.AddSingleton<INodeAccess>(NodeAccess);
        Ctx.Services.AddSingleton<ICredentialStore>(CredentialStore);
        Ctx.Services.AddSingleton<IAuditLog>(AuditLog);
        Ctx.Services.AddSingleton<IUserAdmin>(UserAdmin);
        Ctx.Services.AddSingleton<IClusterOperations>(ClusterOperations);
        Ctx.Services.AddSingleton<IClusterStateStream>(States);
        Fencing = new TestFencing(Inventory);
        Provisioning = new TestProvisioning(Inventory, Fencing);
        Ctx.Services.AddSingleton<IProvisioning>(Provisioning);
        Ctx.Services.AddSingleton<IServeChecks>(ServeChecks);
        Ctx.Services.AddSingleton<IJoinHealth>(JoinHealth);
        Ctx.Services.AddSingleton<IStorageHealth>(StorageHealth);
        Ctx.Services.AddSingleton<IConnectedClients>(ConnectedClients);
        Ctx.Services.AddSingleton<IFencing>(Fencing);
        Principals = new TestPrincipalDirectory(Inventory);
        Ctx.Services.AddSingleton<IPrincipalDirectory>(Principals);
        Ctx.Services.AddSingleton(TimeProvider.System);
        Ctx.Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        Auth = Ctx.AddAuthorization();
        SignInAs("olga", "Operator");
    }

    /// <summary>Generous: the machine is shared, and a wait ends as soon as its condition holds.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected BunitContext Ctx { get; } = new();
    protected BunitAuthorizationContext Auth { get; }
    protected InMemoryInventory Inventory { get; } = new();
    protected TestNodeAccess NodeAccess { get; }
    protected InMemoryCredentialStore CredentialStore { get; } = new();
    protected InMemoryAuditLog AuditLog { get; } = new();
    protected InMemoryUserAdmin UserAdmin { get; } = new();
    protected RecordingClusterOperations ClusterOperations { get; } = new();
    /// <summary>The clusters' live state: none until the test adds a snapshot (the dashboard tests register their own).</summary>
    protected ChannelClusterStream States { get; } = new();
    protected TestProvisioning Provisioning { get; }
    protected TestServeChecks ServeChecks { get; } = new();
    protected TestJoinHealth JoinHealth { get; } = new();
    protected TestStorageHealth StorageHealth { get; } = new();
    protected TestConnectedClients ConnectedClients { get; } = new();
    protected TestPrincipalDirectory Principals { get; }
    protected TestFencing Fencing { get; }

    /// <summary>Where dialogs appear (rendered by <see cref="RenderPage{T}"/>).</summary>
    protected IRenderedComponent<MudDialogProvider> DialogHost { get; private set; } = null!;
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = null!;
    /// <summary>Where menus and other popovers appear.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = null!;

    protected void SignInAs(string userName, params string[] roles)
    {
        Auth.SetAuthorized(userName);
        Auth.SetRoles(roles);
    }

    /// <summary>Renders a page or control after the providers the layout puts around it.</summary>
    protected IRenderedComponent<T> RenderPage<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        if (DialogHost is null)
        {
            Popovers = Ctx.Render<MudPopoverProvider>();
            DialogHost = Ctx.Render<MudDialogProvider>();
            Snackbars = Ctx.Render<MudSnackbarProvider>();
        }
        return parameters is null ? Ctx.Render<T>() : Ctx.Render(parameters);
    }

    /// <summary>The button whose visible text (or aria-label) is exactly <paramref name="text"/>.</summary>
    protected static IElement Button<T>(IRenderedComponent<T> host, string text) where T : IComponent
        => host.FindAll("button").Single(b => b.TextContent.Trim() == text || b.GetAttribute("aria-label") == text);

    protected static bool HasButton<T>(IRenderedComponent<T> host, string text) where T : IComponent
        => host.FindAll("button").Any(b => b.TextContent.Trim() == text || b.GetAttribute("aria-label") == text);

    /// <summary>A MudBlazor input in the open dialog, found by its label.</summary>
    protected IRenderedComponent<TField> Field<TField>(string label) where TField : MudComponentBase
        => DialogHost.FindComponents<TField>().Single(f => LabelOf(f.Instance) == label);

    protected IRenderedComponent<MudTextField<string>> TextField(string label) => Field<MudTextField<string>>(label);

    /// <summary>Types into a dialog field; retried because MudBlazor may re-render the field between finding and typing.</summary>
    protected void Type(string label, string value)
        => DialogHost.WaitForAssertion(() => TextField(label).Find("input,textarea").Change(value), Patience);

    /// <summary>Clicks a button by its text; retried because an async re-render may replace it between finding and clicking.</summary>
    protected static void Click<T>(IRenderedComponent<T> host, string text) where T : IComponent
        => host.WaitForAssertion(() => Button(host, text).Click(), Patience);

    /// <summary>Picks the radio button of <paramref name="value"/>; retried like <see cref="Click{T}"/>.</summary>
    protected static void ChooseRadio<TValue, T>(IRenderedComponent<T> host, TValue value) where T : class, IComponent
        => host.WaitForAssertion(() => host.FindComponents<MudRadio<TValue>>().Single(r => Equals(r.Instance.GetState(x => x.Value), value)).Find("input").Click(), Patience);

    private static string? LabelOf(MudComponentBase field)
        => field.GetType().GetProperty("Label")?.GetValue(field) as string;

    /// <summary>The token the host would issue, so forms can be checked for carrying it.</summary>
    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public const string FieldName = "__RequestVerificationToken";
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-antiforgery-token", FieldName);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Ctx.DisposeAsync();
}
