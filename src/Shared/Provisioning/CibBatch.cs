using System.Globalization;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Placement;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The cluster configuration as one batch of <c>pcs -f cib.xml …</c> commands, applied to a copy of the CIB and pushed
/// once, so the cluster never sees half of it. Each command's check is an XPath query on that copy (exit 0: present).
/// </summary>
public static class CibBatch
{
    /// <summary>The copy the batch edits, and the CIB as fetched (pcs pushes only the difference between the two).</summary>
    public const string File = "cib.xml";
    public const string Original = "cib-original.xml";

    internal sealed record Context(ClusterSpec Spec, ServiceAgents Agents, PlacementPlan Placement);

    internal static IEnumerable<PlanStep> Build(Context c)
    {
        var spec = c.Spec;
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;
        var fenced = spec.Fencing.Devices.Count > 0;

        yield return Step("properties", fenced
                ? "Turn fencing on and stop resources in a partition that loses quorum"
                : "Turn fencing off (no fence device) and stop resources in a partition that loses quorum",
            ["property", "set", $"stonith-enabled={(fenced ? "true" : "false")}", "no-quorum-policy=stop"],
            $"/cib/configuration/crm_config[cluster_property_set/nvpair[@name='stonith-enabled' and @value='{(fenced ? "true" : "false")}'] and cluster_property_set/nvpair[@name='no-quorum-policy' and @value='stop']]",
            warning: fenced ? null : NoFencingWarning);

        foreach (var device in spec.Fencing.Devices)
        {
            var id = ResourceIds.FenceDevice(device.Name);
            var options = device.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}").ToList();
            if (device.Nodes.Count > 0) options.Add($"pcmk_host_list={string.Join(' ', device.Nodes)}");
            yield return Step($"fence-{device.Name}", $"Add fence device {device.Name} ({device.Agent})" +
                    (device.Nodes.Count > 0 ? $" for {string.Join(", ", device.Nodes)}" : ""),
                ["stonith", "create", id, device.Agent, .. options], Exists("primitive", id));
        }

        var services = new List<string>();
        if (smb)
        {
            yield return Step("ctdb", "Run CTDB on every node (Pacemaker starts it; CTDB leaves Samba and winbind to Pacemaker)",
                ["resource", "create", ResourceIds.Ctdb, "ocf:heartbeat:CTDB", $"ctdb_recovery_lock={spec.SharedState!.RecoveryLock}",
                 "ctdb_manages_samba=no", "ctdb_manages_winbind=no", "op", "monitor", "interval=10s", "timeout=30s", "clone", "interleave=true"],
                $"//clone[@id='{ResourceIds.CtdbClone}']/primitive[@id='{ResourceIds.Ctdb}']");

            var sambaClone = ResourceIds.SambaClone(spec.NetBios);
            if (spec.NetBios)
            {
                yield return Create("smbd", $"Add smbd to the Samba group ({c.Agents.Smbd.Agent})", ResourceIds.Smbd, c.Agents.Smbd, ["--group", ResourceIds.SambaGroup],
                    $"//group[@id='{ResourceIds.SambaGroup}']/primitive[@id='{ResourceIds.Smbd}']");
                yield return Create("nmbd", $"Add nmbd to the Samba group ({c.Agents.Nmbd.Agent})", ResourceIds.Nmbd, c.Agents.Nmbd, ["--group", ResourceIds.SambaGroup],
                    $"//group[@id='{ResourceIds.SambaGroup}']/primitive[@id='{ResourceIds.Nmbd}']");
                yield return Step("samba-clone", "Run the Samba group on every node", ["resource", "clone", ResourceIds.SambaGroup, "interleave=true"],
                    $"//clone[@id='{sambaClone}']/group[@id='{ResourceIds.SambaGroup}']");
            }
            else
            {
                yield return Create("smbd", $"Run smbd on every node ({c.Agents.Smbd.Agent})", ResourceIds.Smbd, c.Agents.Smbd, ["clone", "interleave=true"],
                    $"//clone[@id='{sambaClone}']/primitive[@id='{ResourceIds.Smbd}']");
            }
            yield return Step("samba-with-ctdb", "Run Samba only where CTDB runs",
                ["constraint", "colocation", "add", sambaClone, "with", ResourceIds.CtdbClone, "INFINITY", "id=colocation-samba-with-ctdb"],
                $"//rsc_colocation[@id='colocation-samba-with-ctdb' and @rsc='{sambaClone}' and @with-rsc='{ResourceIds.CtdbClone}']");
            yield return Step("ctdb-then-samba", "Start Samba after CTDB (its databases live in CTDB)",
                ["constraint", "order", ResourceIds.CtdbClone, "then", sambaClone, "id=order-ctdb-then-samba"],
                $"//rsc_order[@id='order-ctdb-then-samba' and @first='{ResourceIds.CtdbClone}' and @then='{sambaClone}']");
            services.Add(sambaClone);
        }

        if (nfs)
        {
            yield return Create("ganesha", $"Run NFS-Ganesha on every node ({c.Agents.Ganesha.Agent})", ResourceIds.Ganesha, c.Agents.Ganesha,
                ["clone", "interleave=true"], $"//clone[@id='{ResourceIds.GaneshaClone}']/primitive[@id='{ResourceIds.Ganesha}']");
            services.Add(ResourceIds.GaneshaClone);
        }

        var vipSpecs = spec.VirtualIps.ToDictionary(v => v.Address, StringComparer.Ordinal);
        var vipIds = c.Placement.Vips.Select(p => ResourceIds.Vip(p.Vip)).ToList();
        var setsWanted = vipIds.Count > 0 && services.Count > 0;

        // Converging on a changed spec: what the spec no longer wants goes first, so the additions below never collide with it.
        yield return Stale(VipsWithServices, "colocation of the virtual IPs with the services",
            "rsc_colocation", ColocationVipsWithServices, setsWanted ? SetMembers(vipIds, services) : null);
        yield return Stale(ServicesThenVips, "order of the services before the virtual IPs",
            "rsc_order", OrderServicesThenVips, setsWanted ? SetMembers(services, vipIds) : null);
        var unknown = UnknownVips(vipIds);
        yield return Remove("vips-not-in-spec", "Remove virtual IPs the console created that the spec no longer has (with their constraints)",
            $"{unknown} | //rsc_location[@rsc={unknown}/@id] | //rsc_colocation[@rsc={unknown}/@id or @with-rsc={unknown}/@id]" +
            $" | //rsc_order[@first={unknown}/@id or @then={unknown}/@id] | //resource_ref[@id={unknown}/@id]",
            $"/cib/configuration/resources[not({unknown[RootResources.Length..]})]");

        foreach (var preference in c.Placement.Vips)
        {
            var vip = vipSpecs[preference.Vip];
            var id = ResourceIds.Vip(vip.Address);
            var nic = vip.Nic ?? spec.Nic;
            var settings = VipSettings(vip, nic);
            yield return Step(id, $"Add virtual IP {vip.Address}/{vip.Prefix}" + (nic is null ? "" : $" on {nic}") + " (it always moves to its most preferred online node)",
                ["resource", "create", id, "ocf:heartbeat:IPaddr2", .. settings.Where(s => s.Value.Length > 0).Select(s => $"{s.Key}={s.Value}"),
                 "op", "monitor", "interval=10s", "meta", "resource-stickiness=0"],
                Exists("primitive", id));
            yield return Step($"{id}-settings", $"Keep virtual IP {vip.Address} at /{vip.Prefix} " + (nic is null ? "on the interface IPaddr2 finds for its subnet" : $"on {nic}"),
                ["resource", "update", id, .. settings.Select(s => $"{s.Key}={s.Value}")],
                $"//primitive[@id='{id}' and {string.Join(" and ", settings.Select(s => s.Value.Length > 0
                    ? $"instance_attributes/nvpair[@name='{s.Key}' and @value='{s.Value}']"
                    : $"not(instance_attributes/nvpair[@name='{s.Key}'])"))}]");
        }

        foreach (var preference in c.Placement.Vips)
        {
            var id = ResourceIds.Vip(preference.Vip);
            var wanted = preference.Scores.Select(s => (s.Node, Score: s.Score.ToString(CultureInfo.InvariantCulture)))
                .Concat(preference.Avoided.Select(n => (Node: n, Score: "-INFINITY"))).ToList();
            string Location((string Node, string Score) w) => $"@node='{w.Node}' and @score='{w.Score}'";
            yield return Remove($"{id}-placement-stale", $"Remove placement scores of {preference.Vip} that the spec no longer gives",
                $"//rsc_location[@rsc='{id}' and not({string.Join(" or ", wanted.Select(w => $"({Location(w)})"))})]",
                $"/cib/configuration/constraints[not(rsc_location[@rsc='{id}' and not({string.Join(" or ", wanted.Select(w => $"({Location(w)})"))})])]");
            var arguments = PlacementConstraints.PcsArguments(new PlacementPlan(c.Placement.Nodes, [preference]), ResourceIds.Vip).ToList();
            yield return Step($"{id}-placement", $"Prefer nodes for {preference.Vip} in this order: {string.Join(", ", preference.Nodes)}",
                arguments[0], Locations(id, wanted.Take(preference.Scores.Count)));
            if (arguments.Count > 1)
                yield return Step($"{id}-avoids", $"Never run {preference.Vip} on {string.Join(", ", preference.Avoided)}",
                    arguments[1], Locations(id, wanted.Skip(preference.Scores.Count)));
        }

        foreach (var step in TickleAgents.Build(spec, [.. c.Placement.Vips.Select(p => p.Vip)])) yield return step;
        foreach (var step in NfsGrace.Build(spec, [.. c.Placement.Vips.Select(p => p.Vip)])) yield return step;

        if (setsWanted)
        {
            var what = string.Join(" and ", services.Select(s => s == ResourceIds.GaneshaClone ? "NFS-Ganesha" : "Samba"));
            // In a colocation set the earlier set follows the later one (VIPs go where the services are); in an order set the earlier starts first.
            yield return Step(VipsWithServices, $"Run each virtual IP only on a node where {what} {(services.Count > 1 ? "run" : "runs")}",
                ["constraint", "colocation", "set", .. vipIds, "sequential=false", "set", .. services, "sequential=false", "setoptions", "score=INFINITY", $"id={ColocationVipsWithServices}"],
                $"//rsc_colocation[@id='{ColocationVipsWithServices}' and {SetMembers(vipIds, services)}]");
            yield return Step(ServicesThenVips, $"Bring each virtual IP up only after {what} {(services.Count > 1 ? "have" : "has")} started",
                ["constraint", "order", "set", .. services, "sequential=false", "set", .. vipIds, "sequential=false", "setoptions", $"id={OrderServicesThenVips}"],
                $"//rsc_order[@id='{OrderServicesThenVips}' and {SetMembers(services, vipIds)}]");
        }
    }

    private const string VipsWithServices = "vips-with-services";
    private const string ServicesThenVips = "services-then-vips";
    public const string ColocationVipsWithServices = "colocation-" + VipsWithServices;
    public const string OrderServicesThenVips = "order-" + ServicesThenVips;

    private const string RootResources = "/cib/configuration/resources/";

    /// <summary>The IPaddr2 resources named like the console's VIPs (vip-…) that are not among <paramref name="vipIds"/>.</summary>
    internal static string UnknownVips(IReadOnlyList<string> vipIds) =>
        $"{RootResources}primitive[@type='IPaddr2' and starts-with(@id,'vip-')" +
        (vipIds.Count == 0 ? "" : $" and not({string.Join(" or ", vipIds.Select(v => $"@id='{v}'"))})") + "]";

    /// <summary>ip, cidr_netmask and nic as the spec wants them; an empty nic removes it (IPaddr2 then finds the interface itself).</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> VipSettings(VirtualIpSpec vip, string? nic) =>
        [new("ip", vip.Address), new("cidr_netmask", vip.Prefix.ToString(CultureInfo.InvariantCulture)), new("nic", nic ?? "")];

    private static string Locations(string id, IEnumerable<(string Node, string Score)> scores) =>
        $"/cib/configuration/constraints[{string.Join(" and ", scores.Select(s => $"rsc_location[@rsc='{id}' and @node='{s.Node}' and @score='{s.Score}']"))}]";

    /// <summary>A constraint the batch makes whole, removed unless it is exactly as wanted (null: not wanted at all).</summary>
    private static PlanStep Stale(string name, string what, string element, string id, string? wanted) =>
        Remove($"{name}-stale", $"Remove the {what} if it is not exactly as the spec wants (it is added back below when wanted)",
            $"//{element}[@id='{id}']",
            $"/cib/configuration/constraints[not({element}[@id='{id}'" +
            (wanted is null ? "" : $" and not({wanted})") + "])]");

    public const string NoFencingWarning =
        "No fencing: a node that hangs instead of dying keeps its virtual IPs and open files, and the cluster cannot tell. " +
        "This is unsafe for production data; add a fence device before real use.";

    private static PlanStep Create(string name, string description, string id, ServiceAgent agent, string[] tail, string check) =>
        Step(name, description,
            ["resource", "create", id, agent.Agent, .. agent.Options, "op", "monitor", "interval=30s", .. tail,
             .. agent.ForceReason is null ? Array.Empty<string>() : ["--force"]],
            check, warning: agent.ForceReason);

    internal static PlanStep Step(string name, string description, IReadOnlyList<string> pcsArgs, string xpath, string? warning = null) =>
        new($"cib-{name}", StepTarget.Cib, description, ["pcs", "-f", File, .. pcsArgs],
            [.. CibFileTool, "--query", "--xpath", xpath], Warning: warning);

    /// <summary>
    /// Creates or updates one element of the copy (its id finds it) with cibadmin: for the console's own agents and their
    /// constraints, which pcs could only --force, it takes a fifth of a second where each pcs command takes over one.
    /// </summary>
    internal static PlanStep Upsert(string name, string description, string scope, System.Xml.Linq.XElement element, string check, string? warning = null) =>
        new($"cib-{name}", StepTarget.Cib, description,
            [.. CibFileTool, "--modify", "--allow-create", "--scope", scope, "--xml-text", element.ToString(System.Xml.Linq.SaveOptions.DisableFormatting)],
            [.. CibFileTool, "--query", "--xpath", check], Warning: warning);

    /// <summary>
    /// Deletes what an XPath selects from the copy (pcs has no command for "whatever is there"); the check is true when
    /// nothing is left to delete.
    /// </summary>
    internal static PlanStep Remove(string name, string description, string select, string checkXPath) =>
        new($"cib-{name}", StepTarget.Cib, description, [.. CibFileTool, "--delete-all", "--force", "--xpath", select], [.. CibFileTool, "--query", "--xpath", checkXPath]);

    /// <summary>
    /// Deletes the console's per-VIP agents that <paramref name="match"/> (an unclosed top-level resource predicate) selects
    /// but <paramref name="wanted"/> does not name, with the constraints that place and order them.
    /// </summary>
    internal static PlanStep Sweep(string name, string description, string match, IReadOnlyList<string> wanted)
    {
        var unknown = RootResources + match + (wanted.Count == 0 ? "" : $" and not({string.Join(" or ", wanted.Select(i => $"@id='{i}'"))})") + "]";
        return Remove(name, description, $"{unknown} | //rsc_colocation[@rsc={unknown}/@id] | //rsc_order[@then={unknown}/@id]",
            $"/cib/configuration/resources[not({unknown[RootResources.Length..]})]");
    }

    /// <summary>cibadmin on the batch's copy instead of the live CIB.</summary>
    internal static readonly string[] CibFileTool = ["env", $"CIB_file={File}", "cibadmin"];

    /// <summary>The XPath a batch step's check queries the copy with (every batch check is one).</summary>
    public static string? CheckXPath(PlanStep step) =>
        step.Check is [.., "--query", "--xpath", var xpath] && step.Check.Take(CibFileTool.Length).SequenceEqual(CibFileTool) ? xpath : null;

    private static string Exists(string element, string id) => $"//{element}[@id='{id}']";

    /// <summary>A set constraint's predicate: exactly these members, so a VIP added later makes the check fail.</summary>
    private static string SetMembers(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        string Members(int set, IReadOnlyList<string> ids) =>
            $"count(resource_set[{set}]/resource_ref)={ids.Count.ToString(CultureInfo.InvariantCulture)}" +
            string.Concat(ids.Select(r => $" and resource_set[{set}]/resource_ref[@id='{r}']"));
        return $"count(resource_set)=2 and {Members(1, first)} and {Members(2, second)}";
    }
}
