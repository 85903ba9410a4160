using System.Globalization;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>The wizard's steps, in order.</summary>
public enum WizardStep { Cluster, Nodes, Network, Storage, Services, Identity, Review, Apply }

/// <summary>
/// The wizard's draft as it is stored: the cluster's inventory rows, its settings and its nodes' last probes. There is no
/// other draft state: the step to resume at follows from what is filled in, and every rule is the plan's own (PlanCheck).
/// </summary>
public sealed class WizardDraft(IInventory inventory, ICredentialStore credentials, INodeAccess nodeAccess)
{
    public Cluster? Cluster { get; private set; }
    public IReadOnlyList<Node> Nodes { get; private set; } = [];
    public IReadOnlyList<VirtualIp> VirtualIps { get; private set; } = [];
    public IReadOnlyList<Share> Shares { get; private set; } = [];
    public IReadOnlyList<Export> Exports { get; private set; } = [];
    public IReadOnlyList<Credential> Credentials { get; private set; } = [];
    public ClusterSettings Settings { get; private set; } = new();
    /// <summary>Each node's last probe, by node name.</summary>
    public IReadOnlyDictionary<string, NodeFacts> Facts { get; private set; } = new Dictionary<string, NodeFacts>();

    public long ClusterId => Cluster?.Id ?? 0;
    public bool ServesSmb => Cluster?.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
    public bool ServesNfs => Cluster?.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;

    /// <summary>(Re)reads the draft of cluster <paramref name="clusterId"/> (0: none yet) from the inventory.</summary>
    public async Task LoadAsync(long clusterId)
    {
        Credentials = await credentials.ListAsync();
        Cluster = clusterId == 0 ? null : await inventory.GetClusterAsync(clusterId);
        if (Cluster is null) return;
        Nodes = (await inventory.ListNodesAsync(clusterId)).OrderBy(n => n.Id).ToList();
        VirtualIps = (await inventory.ListVirtualIpsAsync(clusterId)).OrderBy(v => v.Id).ToList();
        Shares = (await inventory.ListSharesAsync(clusterId)).OrderBy(s => s.Id).ToList();
        Exports = (await inventory.ListExportsAsync(clusterId)).OrderBy(e => e.Id).ToList();
        Settings = await inventory.GetSettingsAsync(clusterId);
        var facts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        foreach (var node in Nodes)
            if (await nodeAccess.GetLastProbeAsync(node.Id) is { } found) facts[node.Name] = found;
        Facts = facts;
    }

    /// <summary>Reads the draft again after a step stored something.</summary>
    public Task ReloadAsync() => LoadAsync(ClusterId);

    /// <summary>The draft as the spec the plan is built from; <paramref name="change"/> puts a step's unsaved edits in place.</summary>
    public ClusterSpec Spec(Func<ClusterSpec, ClusterSpec>? change = null)
    {
        var spec = Settings.ApplyTo(new ClusterSpec
        {
            Name = Cluster?.Name ?? "",
            Purpose = Cluster?.Purpose ?? ClusterPurpose.Both,
            Description = Cluster?.Description,
            Nodes = Nodes.Select(n => new NodeSpec
            {
                Name = n.Name, Address = n.Address, SshPort = n.SshPort, SshUser = n.SshUser,
                Credential = Credentials.FirstOrDefault(c => c.Id == n.CredentialId)?.Name,
            }).ToList(),
            VirtualIps = VirtualIps.Select(v => new VirtualIpSpec { Address = v.Address, Prefix = v.Prefix, Nic = v.Nic }).ToList(),
            Shares = Shares.Select(ShareSpec.Of).ToList(),
            Exports = Exports.Select(e => new ExportSpec { Path = e.Path, Clients = e.Clients, Access = e.Access }).ToList(),
        });
        return change is null ? spec : change(spec);
    }

    /// <summary>What the plan's own check finds wrong in the fields <paramref name="step"/> owns, in the admin's words.</summary>
    public IReadOnlyList<string> Problems(WizardStep step, ClusterSpec spec) =>
        PlanCheck.Check(spec, Facts).Where(e => Owns(step, e.Field)).Select(Describe).Distinct().ToList();

    /// <summary>The first step that is not complete: where a resumed draft opens.</summary>
    public WizardStep FirstIncomplete()
    {
        if (Cluster is null) return WizardStep.Cluster;
        var spec = Spec();
        foreach (var step in new[] { WizardStep.Cluster, WizardStep.Nodes, WizardStep.Network, WizardStep.Storage, WizardStep.Services, WizardStep.Identity })
            if (Problems(step, spec).Count > 0 || Unready(step).Any()) return step;
        return WizardStep.Review;
    }

    /// <summary>What a step needs beyond the spec's rules: nodes the console can log in to, trusts and has probed; at least one VIP.</summary>
    public IEnumerable<string> Unready(WizardStep step)
    {
        switch (step)
        {
            case WizardStep.Nodes:
                foreach (var node in Nodes)
                {
                    if (node.CredentialId is null) yield return $"{node.Name} has no credential: choose how the console logs in to it.";
                    if (node.HostKeyFingerprint is null) yield return $"Accept the host key of {node.Name} (compare its fingerprint first).";
                    if (!Facts.TryGetValue(node.Name, out var facts)) yield return $"Probe {node.Name}: the plan needs to know its system and packages.";
                    else
                        foreach (var blocker in facts.Findings.Where(f => f.Severity == FindingSeverity.Blocker))
                            yield return $"{node.Name}: {blocker.Message}" + (blocker.FixCommand is { } fix ? $" Fix: {fix} — then probe again." : "");
                }
                break;
            case WizardStep.Network when VirtualIps.Count == 0:
                yield return NoVirtualIp;
                break;
            case WizardStep.Storage:
                foreach (var problem in WizardSharedStorage.Check(Settings.SharedState, Nodes.Select(n => n.Name), Facts).Problems)
                    yield return problem;
                break;
        }
    }

    public const string NoVirtualIp = "Add at least one virtual IP: clients reach the shares and exports through them.";

    private static readonly Dictionary<WizardStep, string[]> Fields = new()
    {
        [WizardStep.Cluster] = ["name", "purpose", "description"],
        [WizardStep.Nodes] = ["nodes"],
        [WizardStep.Network] = ["virtualIps", "nic"],
        [WizardStep.Storage] = ["storage", "sharedState"],
        [WizardStep.Services] = ["shares", "exports", "fencing"],
        [WizardStep.Identity] = ["identity"],
    };

    private static bool Owns(WizardStep step, string field) =>
        Fields.TryGetValue(step, out var owned)
        && owned.Any(f => field == f || field.StartsWith(f + "[", StringComparison.Ordinal) || field.StartsWith(f + ".", StringComparison.Ordinal));

    private static readonly Dictionary<string, string> Nouns = new()
    {
        ["nodes"] = "Node", ["virtualIps"] = "Virtual IP", ["shares"] = "Share", ["exports"] = "Export", ["fencing.devices"] = "Fence device",
    };

    /// <summary>"virtualIps[1].address: …" reads as "Virtual IP 2 (address): …".</summary>
    public static string Describe(ValidationError error)
    {
        var bracket = error.Field.IndexOf('[', StringComparison.Ordinal);
        var close = error.Field.IndexOf(']', StringComparison.Ordinal);
        if (bracket > 0 && close > bracket && Nouns.TryGetValue(error.Field[..bracket], out var noun)
            && int.TryParse(error.Field[(bracket + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            var field = error.Field[(close + 1)..].TrimStart('.');
            return $"{noun} {index + 1}{(field.Length > 0 ? $" ({field})" : "")}: {error.Message}";
        }
        return error.Field is "nodes" or "shares" or "exports" or "fencing" ? Capitalise(error.Message) : $"{error.Field}: {error.Message}";
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
