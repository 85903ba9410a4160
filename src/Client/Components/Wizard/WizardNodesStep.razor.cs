using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Components.Wizard;

/// <summary>Step 2: nodes are stored as they are added; keys accepted and probes run from here; Next needs every node ready.</summary>
public partial class WizardNodesStep
{
    private long? _credentialId;
    private string? _password;
    private string _name = "";
    private string _address = "";
    private int _port = 22;
    private string _user = "root";
    private FieldErrors _errors = new();
    /// <summary>The running probe-all: node name → finished.</summary>
    private readonly Dictionary<string, bool> _probing = [];
    private readonly Dictionary<string, string> _probeErrors = [];
    private int _probed;

    [Inject] private INodeAccess NodeAccess { get; set; } = default!;
    [Inject] private ICredentialStore CredentialStore { get; set; } = default!;

    private Credential? Chosen => Draft.Credentials.FirstOrDefault(c => c.Id == _credentialId);

    private string? _installPassword;
    private string? _installed;

    /// <summary>The nodes the chosen key can be installed on with a password: they use it, and their host key is accepted (the password goes only there).</summary>
    private IEnumerable<Node> KeyNodes => Draft.Nodes.Where(n => n.CredentialId == _credentialId && n.HostKeyFingerprint is not null);

    private Task InstallKeyAsync() => RunAsync(async () =>
    {
        var password = _installPassword!;
        _installPassword = null;
        var nodes = KeyNodes.ToList();
        foreach (var node in nodes) await NodeAccess.InstallKeyAsync(node.Id, password);
        _installed = $"The key is installed and logs in on {string.Join(", ", nodes.Select(n => n.Name))}.";
    }, busyKey: "install");

    protected override void Fill()
    {
        _credentialId = Draft.Nodes.LastOrDefault(n => n.CredentialId is not null)?.CredentialId ?? Draft.Credentials.LastOrDefault()?.Id;
        _name = NextName();
    }

    public override async Task<IReadOnlyList<string>> CommitAsync()
    {
        await Draft.ReloadAsync();
        return [.. Draft.Problems(WizardStep.Nodes, Draft.Spec()), .. Draft.Unready(WizardStep.Nodes)];
    }

    private string NextName()
    {
        var n = Draft.Nodes.Count + 1;
        while (Draft.Nodes.Any(x => x.Name == $"node{n}")) n++;
        return $"node{n}";
    }

    private string FreeCredentialName(string kind)
    {
        var stem = $"{Draft.Cluster?.Name ?? "cluster"}-{kind}";
        var name = stem;
        for (var i = 2; Draft.Credentials.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)); i++) name = $"{stem}{i}";
        return name;
    }

    private Task GenerateKeyAsync() => RunAsync(async () =>
    {
        var key = await CredentialStore.GenerateKeyAsync(FreeCredentialName("key"));
        await Draft.ReloadAsync();
        _credentialId = key.Id;
    }, busyKey: "key");

    private Task AddPasswordAsync() => RunAsync(async () =>
    {
        var password = await CredentialStore.AddPasswordAsync(FreeCredentialName("password"), _password!);
        _password = null;
        await Draft.ReloadAsync();
        _credentialId = password.Id;
    }, busyKey: "password");

    private async Task AddNodeAsync()
    {
        var node = new Node { ClusterId = Draft.ClusterId, Name = (_name ?? "").Trim(), Address = (_address ?? "").Trim(), SshPort = _port,
                              SshUser = (_user ?? "").Trim(), CredentialId = _credentialId };
        _errors = FormRules.Check(node);
        if (_errors.Any) return;
        if (await RunAsync(async () =>
            {
                await Inventory.AddNodeAsync(node);
                await Draft.ReloadAsync();
            }, fields: _errors, busyKey: "add"))
            (_name, _address) = (NextName(), "");
        _errors.KeepOnly(["name", "address", "sshPort", "sshUser"]);
    }

    private Task UseCredentialAsync(Node node, Credential credential) => RunAsync(async () =>
    {
        await Inventory.UpdateNodeAsync(node with { CredentialId = credential.Id });
        await Draft.ReloadAsync();
    });

    private async Task CheckHostKeyAsync(Node node)
    {
        HostKeyOffer? offer = null;
        if (!await RunAsync(async () => offer = await NodeAccess.FetchHostKeyAsync(node.Id), busyKey: $"key-{node.Id}")) return;
        var parameters = new DialogParameters<HostKeyDialog>
        {
            { d => d.NodeName, node.Name },
            { d => d.Offer, offer! },
            { d => d.Accept, () => NodeAccess.AcceptHostKeyAsync(node.Id, offer!.Fingerprint) },
        };
        var dialog = await Dialogs.ShowAsync<HostKeyDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
        await RunAsync(Draft.ReloadAsync, busyKey: "load");
    }

    /// <summary>Probes every trusted node at once; each node's failure is its own, the others go on.</summary>
    private Task ProbeAllAsync() => RunAsync(async () =>
    {
        var nodes = Draft.Nodes.Where(n => n.HostKeyFingerprint is not null).ToList();
        _probing.Clear();
        _probeErrors.Clear();
        _probed = 0;
        foreach (var node in nodes) _probing[node.Name] = false;
        await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                await NodeAccess.ProbeAsync(node.Id);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                _probeErrors[node.Name] = ErrorText.Describe(error);
            }
            _probing[node.Name] = true;
            _probed++;
            await InvokeAsync(StateHasChanged);
        }));
        _probing.Clear();
        await Draft.ReloadAsync();
    }, busyKey: "probe");

    private Task RemoveAsync(Node node) => RemoveAsync($"node {node.Name}", "It leaves the cluster's draft. Nothing on the server changes.", async () =>
    {
        await Inventory.DeleteNodeAsync(node.Id);
        await Draft.ReloadAsync();
    });

    private string ProbeState(Node node) =>
        _probing.TryGetValue(node.Name, out var done) && !done ? "probing…"
        : _probeErrors.TryGetValue(node.Name, out var error) ? $"failed: {error}"
        : Draft.Facts.TryGetValue(node.Name, out var facts) ? FindingsText(facts)
        : node.HostKeyFingerprint is null ? "accept its host key first" : "not probed";

    private static bool HasBlockers(NodeFacts facts) => facts.Findings.Any(f => f.Severity == FindingSeverity.Blocker);

    private static string FindingsText(NodeFacts facts)
    {
        var blockers = facts.Findings.Count(f => f.Severity == FindingSeverity.Blocker);
        var warnings = facts.Findings.Count(f => f.Severity == FindingSeverity.Warning);
        return blockers > 0 ? $"{blockers} to fix{(warnings > 0 ? $", {warnings} warning(s)" : "")}"
            : warnings > 0 ? $"ready, {warnings} warning(s)" : "ready";
    }
}
