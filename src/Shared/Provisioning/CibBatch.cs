using System.Globalization;
using System.Xml.Linq;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Placement;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The cluster configuration as one batch of edits to a copy of the CIB (<c>cibadmin</c> with <c>CIB_file=cib.xml</c>;
/// <c>pcs -f cib.xml</c> for fence devices), pushed once, so the cluster never sees half of it. Each edit's check is an
/// XPath query on that copy (exit 0: present).
/// </summary>
public static class CibBatch
{
    /// <summary>The copy the batch edits, and the CIB as fetched (pcs pushes only the difference between the two).</summary>
    public const string File = "cib.xml";
    public const string Original = "cib-original.xml";

    /// <summary>The batch starts by fetching the live CIB into a private directory on one node…</summary>
    public static PlanStep Fetch() => new("cib-fetch", StepTarget.Cib, "Fetch the live CIB and make the copy the batch edits", new FetchCib());

    /// <summary>…and ends by pushing the edited copy once.</summary>
    public static PlanStep Push() => new("cib-push", StepTarget.Cib,
        "Push the batch in one go: pcs applies only its difference from the CIB fetched, so a change made meanwhile is kept", new PushCib());

    /// <summary>
    /// When the cluster mounts the cluster filesystem, a first batch of its own: the properties, the fence devices and the
    /// mount, pushed before the services' batch, so that the shared state directories can be made on the mounted
    /// filesystem before CTDB (which refuses to start without its lock's directory) is configured.
    /// </summary>
    public static PlanStep FetchForStorage() => new("cib-fetch-storage", StepTarget.Cib,
        "Fetch the live CIB and make the copy a first batch edits: the cluster filesystem, which the shared state lives on", new FetchCib());

    public static PlanStep PushForStorage() => new("cib-push-storage", StepTarget.Cib,
        "Push the first batch: the cluster mounts its filesystem on every node (pcs applies only the difference from the CIB fetched)", new PushCib());

    internal sealed record Context(ClusterSpec Spec, ServiceAgents Agents, PlacementPlan Placement);

    internal static IEnumerable<PlanStep> Build(Context c) => Foundation(c).Concat(Services(c));

    /// <summary>What must stand before any service starts: the cluster properties, the fence devices and, when the cluster mounts it, the cluster filesystem.</summary>
    internal static IEnumerable<PlanStep> Foundation(Context c)
    {
        var spec = c.Spec;
        var fenced = spec.Fencing.Devices.Count > 0;

        string[] properties = [$"stonith-enabled={(fenced ? "true" : "false")}", "no-quorum-policy=stop"];
        yield return Upsert("properties", fenced
                ? "Turn fencing on and stop resources in a partition that loses quorum"
                : "Turn fencing off (no fence device) and stop resources in a partition that loses quorum",
            "crm_config", CibXml.Properties(properties),
            $"/cib/configuration/crm_config[{string.Join(" and ", properties.Select(p => p.Split('=')).Select(kv => $"cluster_property_set/nvpair[@name='{kv[0]}' and @value='{kv[1]}']"))}]",
            warning: fenced ? null : NoFencingWarning, subject: new(CibSubjectKind.Properties, "cluster properties"));

        foreach (var device in spec.Fencing.Devices)
        {
            var id = ResourceIds.FenceDevice(device.Name);
            var options = device.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}").ToList();
            if (FenceDevices.UsesPassword(device)) options.Add($"password={FenceDevices.SecretReference}");
            if (device.Nodes.Count > 0) options.Add($"pcmk_host_list={string.Join(' ', device.Nodes)}");
            yield return PcsStep($"fence-{device.Name}", $"Add fence device {device.Name} ({device.Agent})" +
                    (device.Nodes.Count > 0 ? $" for {string.Join(", ", device.Nodes)}" : ""),
                id, ["stonith", "create", id, device.Agent, .. options], Exists("primitive", id));
        }

        foreach (var step in FencingLevels(spec)) yield return step;

        if (spec.Storage is { Mounting: StorageMounting.ByCluster } storage)
            foreach (var step in MountStorage(storage)) yield return step;
    }

    /// <summary>The services, the virtual IPs and their agents, and the constraints that tie them together.</summary>
    internal static IEnumerable<PlanStep> Services(Context c)
    {
        var spec = c.Spec;
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;

        var services = new List<string>();
        if (smb)
        {
            yield return Upsert("ctdb", "Run CTDB on every node (Pacemaker starts it; CTDB leaves Samba and winbind to Pacemaker)", "resources",
                CibXml.Clone(CibXml.Primitive(ResourceIds.Ctdb, "ocf:heartbeat:CTDB",
                    [$"ctdb_recovery_lock={spec.SharedState!.RecoveryLock}", "ctdb_manages_samba=no", "ctdb_manages_winbind=no"], CtdbOperations)),
                $"//clone[@id='{ResourceIds.CtdbClone}']/primitive[@id='{ResourceIds.Ctdb}']");
            foreach (var step in OnStorage(spec, "ctdb", ResourceIds.CtdbClone, "CTDB", "its recovery lock lives there")) yield return step;

            var sambaClone = ResourceIds.SambaClone(spec.NetBios);
            if (spec.NetBios)
            {
                // Each step adds its daemon to the one cloned group: smbd first, so nmbd starts after it.
                yield return Upsert("smbd", $"Run smbd on every node, first in the Samba group ({c.Agents.Smbd.Agent})", "resources",
                    CibXml.Clone(CibXml.Group(ResourceIds.SambaGroup, Service(ResourceIds.Smbd, c.Agents.Smbd))),
                    $"//clone[@id='{sambaClone}']/group[@id='{ResourceIds.SambaGroup}']/primitive[@id='{ResourceIds.Smbd}']");
                yield return Upsert("nmbd", $"Run nmbd on every node, after smbd in the Samba group ({c.Agents.Nmbd.Agent})", "resources",
                    CibXml.Clone(CibXml.Group(ResourceIds.SambaGroup, Service(ResourceIds.Nmbd, c.Agents.Nmbd))),
                    $"//clone[@id='{sambaClone}']/group[@id='{ResourceIds.SambaGroup}']/primitive[@id='{ResourceIds.Nmbd}']");
            }
            else
            {
                yield return Upsert("smbd", $"Run smbd on every node ({c.Agents.Smbd.Agent})", "resources",
                    CibXml.Clone(Service(ResourceIds.Smbd, c.Agents.Smbd)), $"//clone[@id='{sambaClone}']/primitive[@id='{ResourceIds.Smbd}']");
            }
            if (spec.Identity.Mode == IdentityMode.ActiveDirectory)
            {
                // As the CTDB agent's documentation advises: winbind in a resource of its own (ctdb_manages_winbind=no),
                // between CTDB, where the join's secrets and idmap live, and Samba, which asks it for every domain login.
                yield return Upsert("winbind", $"Run winbind on every node, after CTDB and before Samba: it maps the domain's users for smbd ({c.Agents.Winbind.Agent})",
                    "resources", CibXml.Clone(Service(ResourceIds.Winbind, c.Agents.Winbind)),
                    $"//clone[@id='{ResourceIds.WinbindClone}']/primitive[@id='{ResourceIds.Winbind}']");
                foreach (var step in OnStorage(spec, "winbind", ResourceIds.WinbindClone, "winbind", "its caches live beside the shares it maps users for")) yield return step;
                yield return Colocation("winbind-with-ctdb", "Run winbind only where CTDB runs", ResourceIds.WinbindClone, ResourceIds.CtdbClone);
                yield return Order("ctdb-then-winbind", "Start winbind after CTDB", ResourceIds.CtdbClone, ResourceIds.WinbindClone);
                yield return Colocation("samba-with-winbind", "Run Samba only where winbind runs", sambaClone, ResourceIds.WinbindClone);
                yield return Order("winbind-then-samba", "Start Samba after winbind (domain logins need it)", ResourceIds.WinbindClone, sambaClone);
            }
            yield return Colocation("samba-with-ctdb", "Run Samba only where CTDB runs", sambaClone, ResourceIds.CtdbClone);
            yield return Order("ctdb-then-samba", "Start Samba after CTDB (its databases live in CTDB)", ResourceIds.CtdbClone, sambaClone);
            foreach (var step in OnStorage(spec, "samba", sambaClone, "Samba", "the shares' data lives there")) yield return step;
            services.Add(sambaClone);
        }

        if (nfs)
        {
            yield return Upsert("ganesha", $"Run NFS-Ganesha on every node ({c.Agents.Ganesha.Agent})", "resources",
                CibXml.Clone(Service(ResourceIds.Ganesha, c.Agents.Ganesha)), $"//clone[@id='{ResourceIds.GaneshaClone}']/primitive[@id='{ResourceIds.Ganesha}']");
            foreach (var step in OnStorage(spec, "ganesha", ResourceIds.GaneshaClone, "NFS-Ganesha", "the exports' data and the clients' recovery state live there")) yield return step;
            services.Add(ResourceIds.GaneshaClone);
        }

        var vipSpecs = spec.VirtualIps.ToDictionary(v => v.Address, StringComparer.Ordinal);
        var vipIds = c.Placement.Vips.Select(p => ResourceIds.Vip(p.Vip)).ToList();
        var setsWanted = vipIds.Count > 0 && services.Count > 0;

        // Converging on a changed spec: what the spec no longer wants goes first, so the additions below never collide with it.
        yield return Stale(VipsWithServices, "colocation of the virtual IPs with the services", CibSubjectKind.VipSets,
            "rsc_colocation", ColocationVipsWithServices, setsWanted ? SetMembers(vipIds, services) : null);
        yield return Stale(ServicesThenVips, "order of the services before the virtual IPs", CibSubjectKind.VipSets,
            "rsc_order", OrderServicesThenVips, setsWanted ? SetMembers(services, vipIds) : null);
        var unknown = UnknownVips(vipIds);
        yield return Remove("vips-not-in-spec", "Remove virtual IPs the console created that the spec no longer has (with their constraints)",
            $"{unknown} | //rsc_location[@rsc={unknown}/@id] | //rsc_colocation[@rsc={unknown}/@id or @with-rsc={unknown}/@id]" +
            $" | //rsc_order[@first={unknown}/@id or @then={unknown}/@id] | //resource_ref[@id={unknown}/@id]",
            $"/cib/configuration/resources[not({unknown[RootResources.Length..]})]", new(CibSubjectKind.UnknownVips, "vips-not-in-spec"));

        foreach (var preference in c.Placement.Vips)
        {
            var vip = vipSpecs[preference.Vip];
            var id = ResourceIds.Vip(vip.Address);
            var nic = vip.Nic ?? spec.Nic;
            var settings = VipSettings(vip, nic);
            var set = settings.Where(s => s.Value.Length > 0).Select(s => $"{s.Key}={s.Value}").ToList();
            yield return Upsert(id, $"Add virtual IP {vip.Address}/{vip.Prefix}" + (nic is null ? "" : $" on {nic}") + " (it always moves to its most preferred online node)",
                "resources", CibXml.Primitive(id, VipAgent, set, VipOperations, ["resource-stickiness=0"]), Exists("primitive", id),
                subject: new(CibSubjectKind.VirtualIp, id, id));
            yield return Replace($"{id}-settings", $"Keep virtual IP {vip.Address} at /{vip.Prefix} " + (nic is null ? "on the interface IPaddr2 finds for its subnet" : $"on {nic}"),
                $"//primitive[@id='{id}']/instance_attributes", CibXml.InstanceAttributes(id, set),
                $"//primitive[@id='{id}' and {string.Join(" and ", settings.Select(s => s.Value.Length > 0
                    ? $"instance_attributes/nvpair[@name='{s.Key}' and @value='{s.Value}']"
                    : $"not(instance_attributes/nvpair[@name='{s.Key}'])"))}]", new(CibSubjectKind.VipSettings, $"{id}-settings", id));
        }

        foreach (var preference in c.Placement.Vips)
        {
            var id = ResourceIds.Vip(preference.Vip);
            var locations = PlacementConstraints.LocationElements(new PlacementPlan(c.Placement.Nodes, [preference]), ResourceIds.Vip).ToList();
            string Location(XElement l) => $"@node='{l.Attribute("node")!.Value}' and @score='{l.Attribute("score")!.Value}'";
            yield return Remove($"{id}-placement-stale", $"Remove placement scores of {preference.Vip} that the spec no longer gives",
                $"//rsc_location[@rsc='{id}' and not({string.Join(" or ", locations.Select(l => $"({Location(l)})"))})]",
                $"/cib/configuration/constraints[not(rsc_location[@rsc='{id}' and not({string.Join(" or ", locations.Select(l => $"({Location(l)})"))})])]",
                new(CibSubjectKind.VipPlacement, $"{id}-placement", id));
            var prefers = locations.Take(preference.Scores.Count).ToList();
            yield return Upsert($"{id}-placement", $"Prefer nodes for {preference.Vip} in this order: {string.Join(", ", preference.Nodes)}",
                "constraints", new XElement("constraints", prefers), Locations(id, prefers.Select(Location)), subject: new(CibSubjectKind.VipPlacement, $"{id}-placement", id));
            var avoids = locations.Skip(preference.Scores.Count).ToList();
            if (avoids.Count > 0)
                yield return Upsert($"{id}-avoids", $"Never run {preference.Vip} on {string.Join(", ", preference.Avoided)}",
                    "constraints", new XElement("constraints", avoids), Locations(id, avoids.Select(Location)), subject: new(CibSubjectKind.VipPlacement, $"{id}-avoids", id));
        }

        foreach (var step in TickleAgents.Build(spec, [.. c.Placement.Vips.Select(p => p.Vip)])) yield return step;
        foreach (var step in NfsGrace.Build(spec, [.. c.Placement.Vips.Select(p => p.Vip)])) yield return step;

        if (setsWanted)
        {
            var what = string.Join(" and ", services.Select(s => s == ResourceIds.GaneshaClone ? "NFS-Ganesha" : "Samba"));
            // In a colocation set the earlier set follows the later one (VIPs go where the services are); in an order set the earlier starts first.
            yield return Upsert(VipsWithServices, $"Run each virtual IP only on a node where {what} {(services.Count > 1 ? "run" : "runs")}",
                "constraints", CibXml.ColocationSets(ColocationVipsWithServices, vipIds, services),
                $"//rsc_colocation[@id='{ColocationVipsWithServices}' and {SetMembers(vipIds, services)}]", subject: new(CibSubjectKind.VipSets, VipsWithServices));
            yield return Upsert(ServicesThenVips, $"Bring each virtual IP up only after {what} {(services.Count > 1 ? "have" : "has")} started",
                "constraints", CibXml.OrderSets(OrderServicesThenVips, services, vipIds),
                $"//rsc_order[@id='{OrderServicesThenVips}' and {SetMembers(services, vipIds)}]", subject: new(CibSubjectKind.VipSets, ServicesThenVips));
        }
    }

    public const string VipAgent = "ocf:heartbeat:IPaddr2";
    public const string FilesystemAgent = "ocf:heartbeat:Filesystem";

    /// <summary>
    /// The cluster filesystem mounted on every node by a cloned Filesystem resource (interleaved: each node's services
    /// follow its own mount), and its settings kept exactly as the spec says.
    /// </summary>
    private static IEnumerable<PlanStep> MountStorage(StorageSpec storage)
    {
        var kind = ClusterFilesystems.Of(storage.Type);
        var settings = StorageSettings(storage);
        yield return Upsert("cluster-fs", $"Mount the cluster filesystem ({kind.FsType} {storage.Device}) at {storage.MountPoint} on every node; " +
                $"every {StorageMonitor.Interval.TrimEnd('s')} s the cluster writes a file there, so a hung, lost or read-only mount fails the monitor and the services leave that node",
            "resources", CibXml.Clone(CibXml.Primitive(ResourceIds.Storage, FilesystemAgent, settings, StorageOperations)),
            $"//clone[@id='{ResourceIds.StorageClone}']/primitive[@id='{ResourceIds.Storage}']");
        yield return Replace("cluster-fs-settings", "Keep the cluster filesystem's device, mount point, type and options as the spec says " +
                "(a change remounts it on every node, restarting the services above it)",
            $"//primitive[@id='{ResourceIds.Storage}']/instance_attributes", CibXml.InstanceAttributes(ResourceIds.Storage, settings),
            $"//primitive[@id='{ResourceIds.Storage}' and count(instance_attributes/nvpair)={settings.Count.ToString(CultureInfo.InvariantCulture)} and {CibXml.HasSettings(settings)}]",
            new(CibSubjectKind.StorageSettings, ResourceIds.Storage));
    }

    /// <summary>The Filesystem agent's device, directory, fstype and (when given) options.</summary>
    internal static IReadOnlyList<string> StorageSettings(StorageSpec storage) =>
        [$"device={storage.Device}", $"directory={storage.MountPoint}", $"fstype={ClusterFilesystems.Of(storage.Type).FsType}",
         .. storage.Options is { } options ? [$"options={options}"] : Array.Empty<string>()];

    /// <summary>A service clone that needs the cluster filesystem runs only where it is mounted, and starts after it (stops before it is unmounted).</summary>
    private static IEnumerable<PlanStep> OnStorage(ClusterSpec spec, string name, string clone, string what, string why)
    {
        if (spec.Storage is not { Mounting: StorageMounting.ByCluster }) yield break;
        yield return Colocation($"{name}-with-storage", $"Run {what} only where the cluster filesystem is mounted ({why})", clone, ResourceIds.StorageClone);
        yield return Order($"storage-then-{name}", $"Start {what} after the cluster filesystem is mounted, and stop it before it is unmounted", ResourceIds.StorageClone, clone);
    }

    // Level 20 writes and reads a status file on the mount: a mount that hangs or turned read-only fails, not only a
    // missing one. The agent's advised timeouts; the monitor as often as CTDB's, so a lost mount is noticed within seconds.
    private static readonly CibXml.Operation StorageMonitor = new("monitor", "10s", "40s", ["OCF_CHECK_LEVEL=20"]);
    private static readonly CibXml.Operation[] StorageOperations =
        [StorageMonitor, new("start", "0s", "60s"), new("stop", "0s", "60s")];

    // The timeouts the agents' metadata advises (pcs would copy them in); CTDB waits for its first recovery when it starts.
    private static readonly CibXml.Operation[] CtdbOperations =
        [new("monitor", "10s", "30s"), new("start", "0s", "90s"), new("stop", "0s", "100s")];
    private static readonly CibXml.Operation[] ServiceOperations =
        [new("monitor", "30s", "20s"), new("start", "0s", "60s"), new("stop", "0s", "60s")];
    private static readonly CibXml.Operation[] VipOperations =
        [new("monitor", "10s", "20s"), new("start", "0s", "20s"), new("stop", "0s", "20s")];

    /// <summary>"colocation-NAME": <paramref name="resource"/> runs only where <paramref name="with"/> runs.</summary>
    private static PlanStep Colocation(string name, string description, string resource, string with) =>
        Upsert(name, description, "constraints", CibXml.Colocation($"colocation-{name}", resource, with),
            $"//rsc_colocation[@id='colocation-{name}' and @rsc='{resource}' and @with-rsc='{with}']");

    /// <summary>"order-NAME": <paramref name="then"/> starts after <paramref name="first"/> (and stops before it).</summary>
    private static PlanStep Order(string name, string description, string first, string then) =>
        Upsert(name, description, "constraints", CibXml.Order($"order-{name}", first, then),
            $"//rsc_order[@id='order-{name}' and @first='{first}' and @then='{then}']");

    private static XElement Service(string id, ServiceAgent agent) => CibXml.Primitive(id, agent.Agent, agent.Options, ServiceOperations);

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

    private static string Locations(string id, IEnumerable<string> nodeAndScore) =>
        $"/cib/configuration/constraints[{string.Join(" and ", nodeAndScore.Select(p => $"rsc_location[@rsc='{id}' and {p}]"))}]";

    /// <summary>A constraint the batch makes whole, removed unless it is exactly as wanted (null: not wanted at all).</summary>
    private static PlanStep Stale(string name, string what, CibSubjectKind kind, string element, string id, string? wanted) =>
        Remove($"{name}-stale", $"Remove the {what} if it is not exactly as the spec wants (it is added back below when wanted)",
            $"//{element}[@id='{id}']",
            $"/cib/configuration/constraints[not({element}[@id='{id}'" +
            (wanted is null ? "" : $" and not({wanted})") + "])]", new(kind, name));

    /// <summary>
    /// Where several devices fence one node, a fencing topology: one level per device in the spec's order, so the fencer
    /// tries the first and falls back to the next (without levels it would pick among them by priority alone).
    /// </summary>
    private static IEnumerable<PlanStep> FencingLevels(ClusterSpec spec)
    {
        foreach (var node in spec.Nodes.Select(n => n.Name))
        {
            var devices = spec.Fencing.Devices.Where(d => d.Nodes.Contains(node, StringComparer.Ordinal)).ToList();
            if (devices.Count < 2) continue;
            for (var level = 1; level <= devices.Count; level++)
            {
                var id = ResourceIds.FenceDevice(devices[level - 1].Name);
                var index = level.ToString(CultureInfo.InvariantCulture);
                yield return PcsStep($"fence-level-{node}-{index}", $"Fence {node} with {devices[level - 1].Name} " +
                        (level == 1 ? "first" : $"if level {level - 1} fails (fencing level {index})"),
                    id, ["stonith", "level", "add", index, node, id],
                    $"//fencing-topology/fencing-level[@target='{node}' and @index='{index}' and @devices='{id}']");
            }
        }
    }

    public const string NoFencingWarning =
        "No fencing: a node that hangs instead of dying keeps its virtual IPs and open files, and the cluster cannot tell. " +
        "This is unsafe for production data; add a fence device before real use.";

    /// <summary>A batch step: its id is "cib-" and the name of what it edits (a label only; the action says what it is).</summary>
    private static PlanStep Step(string name, string description, EditCib edit, string? warning = null) =>
        new($"cib-{name}", StepTarget.Cib, description, edit, warning);

    private static PlanStep PcsStep(string name, string description, string resourceId, IReadOnlyList<string> pcsArgs, string xpath) =>
        Step(name, description, new PcsOnCib(new(CibSubjectKind.Other, name), resourceId, pcsArgs, xpath));

    /// <summary>Creates or updates one element of the copy (see <see cref="UpsertCibElement"/>); the subject defaults to "something else" named <paramref name="name"/>.</summary>
    internal static PlanStep Upsert(string name, string description, string scope, XElement element, string check, string? warning = null, CibSubject? subject = null) =>
        Step(name, description, new UpsertCibElement(subject ?? new(CibSubjectKind.Other, name), scope, element, check), warning);

    internal static PlanStep Replace(string name, string description, string select, XElement element, string check, CibSubject subject) =>
        Step(name, description, new ReplaceCibElement(subject, select, element, check));

    internal static PlanStep Remove(string name, string description, string select, string checkXPath, CibSubject? subject = null) =>
        Step(name, description, new RemoveFromCib(subject ?? new(CibSubjectKind.Other, name), select, checkXPath));

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
