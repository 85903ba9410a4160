using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Placement;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Storage;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// Turns a valid spec and what the probe found on each node into the <see cref="Plan"/>: prepare the nodes, form the
/// cluster, build the configuration as one CIB batch, push it once, then fill Samba's registry and wait for the services.
/// </summary>
public static class PlanBuilder
{
    /// <summary>Secrets the executor supplies on standard input (never in argv): the hacluster password, a 256-byte corosync key.</summary>
    public const string HaclusterPassword = "hacluster-password";
    public const string CorosyncAuthkey = "corosync-authkey";
    /// <summary>Given with an apply that joins the domain (or a teardown that leaves it), never kept: "name\npassword\n".</summary>
    public const string DomainAdministrator = "domain-administrator";
    /// <summary>The step that joins the domain: a plan with it asks for <see cref="DomainAdministrator"/> at apply.</summary>
    public const string DomainJoinStep = "domain-join";

    private const int QuorumTimeoutSeconds = 120;
    private const int CtdbTimeoutSeconds = 180;
    private const int WinbindTimeoutSeconds = 120;
    internal const int SettleTimeoutSeconds = 300;
    private const int SettledCheckSeconds = 5;

    /// <summary>Builds the plan, or throws <see cref="InvalidInputException"/> with every error of <see cref="PlanCheck"/>.</summary>
    /// <param name="fencing">The devices' passwords and Tests as the console knows them; none known blocks every device.</param>
    public static Plan Build(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts, FenceEvidence? fencing = null)
    {
        var errors = PlanCheck.Check(spec, facts);
        if (errors.Count > 0) throw new InvalidInputException(errors);

        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;
        var warnings = new List<string>();
        var blockers = new List<string>();
        var nodes = spec.Nodes.Select(n => n.Name).ToArray();
        var first = nodes[0];

        var probed = spec.Nodes.Where(n => facts.ContainsKey(n.Name)).Select(n => facts[n.Name]).ToList();
        foreach (var node in spec.Nodes.Where(n => !facts.ContainsKey(n.Name)))
            blockers.Add($"{node.Name} has not been probed: probe it so the plan knows its system and packages");
        var agents = ServiceAgents.For(probed, out var agentWarning);
        if (agentWarning is not null) warnings.Add(agentWarning);
        if (agents is null)
        {
            blockers.Add("some nodes run systemd and some do not: a cloned service needs the same agent on every node");
            agents = new ServiceAgents(true, NodeOs.Of(probed[0]), "mixed init systems");
        }
        foreach (var node in spec.Nodes.Where(n => facts.ContainsKey(n.Name)))
        {
            blockers.AddRange(SoftwareBlockers(node.Name, facts[node.Name], spec.Purpose));
            if (smb && spec.Identity.ActiveDirectory is { } ad && spec.Identity.Mode == IdentityMode.ActiveDirectory)
            {
                blockers.AddRange(DomainBlockers(node.Name, facts[node.Name], ad));
                if (OtherResolversWarning(node.Name, facts[node.Name], ad) is { } resolvers) warnings.Add(resolvers);
            }
            if (OtherClusterBlocker(node.Name, facts[node.Name], spec.Name) is { } other) blockers.Add(other);
        }
        blockers.AddRange(StoragePlan.Blockers(spec, facts));
        if (spec.Storage is { } storage)
        {
            var mounts = StorageMounts.Check(storage, spec.Nodes.Where(n => facts.ContainsKey(n.Name)).ToDictionary(n => n.Name, n => facts[n.Name]));
            blockers.AddRange(mounts.Blockers);
            warnings.AddRange(mounts.Warnings);
        }

        if (spec.Fencing.Devices.Count == 0) warnings.Add(CibBatch.NoFencingWarning);
        // A device that cannot fence is worse than none: the cluster would wait on it forever with a hung node's VIPs held.
        blockers.AddRange((fencing ?? FenceEvidence.None).Blockers(spec));
        if (spec.Nodes.Count == 1) warnings.Add("One node: nothing can fail over. This cluster serves NFS but is not highly available until a second node joins.");
        if (spec.Nodes.Count == 2) warnings.Add("Two nodes: corosync runs with two_node, so the survivor keeps quorum; without fencing both halves of a split may serve at once.");
        if (nfs) warnings.Add(NfsGrace.GraceWarning);
        if (smb) warnings.AddRange(PlanCheck.GuestWrites(spec));
        if (smb) warnings.AddRange(SharePrincipals.Warnings(spec));
        warnings.AddRange(StoragePlan.Warnings(spec));
        warnings.Add($"Agents: {agents.Why}.");

        // The spec lists nodes in the order they joined, so a node added later takes only its share of VIPs.
        var placement = VipPlacement.Plan(nodesInJoinOrder: nodes, spec.VirtualIps.Select(v => v.Address));
        var steps = new List<PlanStep>();

        // 1. The nodes: software present, credentials and files in place.
        // A step that only verifies: running it is its own check, and a failure names the missing commands.
        var software = NodeCommands.CommandsPresent([.. RequiredCommands(smb, nfs), .. StoragePlan.Commands(spec.Storage)]);
        steps.Add(new("software", StepTarget.AllNodes, $"Check that every node has the cluster software ({string.Join(", ", RequiredPackages(smb, nfs))})",
            new NodeCommand(software, software)));
        if (smb && spec.Identity.Mode == IdentityMode.ActiveDirectory && spec.Identity.ActiveDirectory is { } joining)
            // Before anything changes: a wrong administrator then stops the apply with nothing done, not at the join.
            steps.Add(new("domain-credentials", StepTarget.On(first),
                $"Ask {joining.Realm} whether the domain administrator given at apply time may log in, before anything changes (skipped when the cluster is joined or none is given)",
                new NodeCommand(NodeCommands.CheckDomainAdministrator(joining.Realm, joining.Workgroup), NodeCommands.DomainJoined,
                    StepInput.FromSecret(DomainAdministrator) with { SecretOptional = true })));
        // Nothing may be written to the shared state, nor start, on a node that lacks the filesystem the servers mount.
        var byCluster = spec.Storage is { Mounting: StorageMounting.ByCluster } ? spec.Storage : null;
        if (spec.Storage is { Mounting: StorageMounting.ByServers } byServers) steps.Add(StoragePlan.ServersMounted(byServers));
        var packageClusters = probed.Where(f => f.ExistingCluster is { IsRunningPackageDefault: true }).ToList();
        if (packageClusters.Count > 0)
            steps.Add(new("replace-default-cluster", StepTarget.AllNodes,
                $"End the one-node cluster '{packageClusters[0].ExistingCluster!.Name}' that installing corosync started " +
                "(its default corosync.conf, nothing configured; checked again before anything is stopped), so that this cluster can form",
                new NodeCommand(NodeCommands.ReplaceDefaultCluster, NodeCommands.NoDefaultCluster)));
        steps.Add(new("node-helper", StepTarget.AllNodes,
            $"Install the node helper (storageha-node and {TickleAgents.Agent}, verified by SHA-256) and check that it runs: it sends the tickle ACKs when a virtual IP moves",
            new InstallNodeHelper()));
        steps.Add(new("hacluster-password", StepTarget.AllNodes, "Set the hacluster user's password (pcs and pcsd log in as hacluster)",
            new NodeCommand(NodeCommands.SetPassword("hacluster"), NodeCommands.PasswordIs("hacluster"), StepInput.FromSecret(HaclusterPassword))));
        foreach (var device in spec.Fencing.Devices.Where(FenceDevices.UsesPassword))
            steps.Add(new($"fence-secret-{device.Name}", StepTarget.AllNodes,
                $"Keep fence device {device.Name}'s password root-only where pacemaker-fenced reads it (the CIB holds {FenceDevices.SecretReference}, never the password)",
                new NodeCommand(NodeCommands.KeepFenceSecret(FenceDevices.SecretFile(device)), NodeCommands.FenceSecretIs(FenceDevices.SecretFile(device)),
                    StepInput.FromSecret(FenceDevices.PasswordSecret(device.Name)))));
        if (LocalAccountSteps.Wanted(spec.Identity)) steps.Add(LocalAccountSteps.Prepare(spec.Identity));
        steps.Add(WriteFile("corosync-authkey", "Install the cluster's shared corosync key (it encrypts and authenticates the nodes' traffic)",
            ConfigFiles.AuthkeyPath, "400", StepInput.FromSecret(CorosyncAuthkey)));
        steps.Add(WriteFile("corosync-conf", $"Write corosync.conf: cluster '{spec.Name}', {nodes.Length} node(s) over knet" + (nodes.Length == 2 ? ", two_node" : ""),
            ConfigFiles.CorosyncConfPath, "644", StepInput.Of(ConfigFiles.CorosyncConf(spec))));
        if (smb)
        {
            steps.Add(WriteFile("ctdb-nodes", "Write CTDB's node list (the same order on every node)", ConfigFiles.CtdbNodesPath, "644", StepInput.Of(ConfigFiles.CtdbNodes(spec))));
            if (spec.CtdbTunables.Count > 0)
                steps.Add(WriteFile("ctdb-tunables", $"Write CTDB's tunables ({string.Join(", ", spec.CtdbTunables.Keys.Order(StringComparer.Ordinal))})",
                    ConfigFiles.CtdbTunablesPath, "644", StepInput.Of(ConfigFiles.CtdbTunables(spec))));
        }
        var domain = smb && spec.Identity.Mode == IdentityMode.ActiveDirectory ? spec.Identity.ActiveDirectory : null;
        if (domain is not null)
        {
            steps.Add(WriteFile("krb5-conf", $"Write krb5.conf: realm {domain.Realm}, its KDCs found through DNS", ConfigFiles.Krb5ConfPath, "644",
                StepInput.Of(ConfigFiles.Krb5Conf(domain))));
            steps.Add(new("nss-winbind", StepTarget.AllNodes, "Add winbind to nsswitch.conf's passwd and group lines, so the domain's users and groups have ids on every node",
                new NodeCommand(NodeCommands.AddWinbindToNss(ConfigFiles.OriginalsDirectory), NodeCommands.WinbindInNss(ConfigFiles.OriginalsDirectory))));
        }
        var stateDirectories = StateDirectories(spec, smb, nfs);
        var sharedState = stateDirectories.Count == 0 ? null
            : new PlanStep("shared-state", StepTarget.On(first), $"Create the shared state directories ({string.Join(", ", stateDirectories)})",
                new NodeCommand(NodeCommands.MakeDirectories(stateDirectories), NodeCommands.DirectoriesExist(stateDirectories)));
        // On a filesystem the cluster mounts, they are made once it is mounted (below).
        if (sharedState is not null && byCluster is null) steps.Add(sharedState);
        if (byCluster is not null) steps.Add(StoragePlan.MountPoint(byCluster));

        // 2. The cluster itself.
        steps.Add(new("seed-cib", StepTarget.AllNodes,
            $"Give a node that never ran the cluster an empty CIB with dc-deadtime={ConfigFiles.DcDeadtime}: the first DC election then waits {ConfigFiles.DcDeadtime}, not 20 s (a node that has a CIB keeps it)",
            new SeedFile(ConfigFiles.CibPath, "hacluster:haclient", StepInput.Of(ConfigFiles.SeedCib))));
        steps.Add(new("start-cluster", StepTarget.AllNodes, "Start corosync and pacemaker", new StartCluster()));
        if (agents.Systemd)
            steps.Add(new("cluster-at-boot", StepTarget.AllNodes, "Have systemd start corosync and pacemaker at boot, so that a rebooted node rejoins by itself (as pcs cluster enable does)",
                new NodeCommand(NodeCommands.EnableAtBoot(agents.ClusterUnits), NodeCommands.EnabledAtBoot(agents.ClusterUnits))));
        steps.Add(ReloadCorosync(StepTarget.AllNodes));
        steps.Add(new("quorum", StepTarget.On(first), $"Wait until the cluster is quorate with all {nodes.Length} node(s) online",
            new WaitForCluster(new QuorateWithOnline(nodes), QuorumTimeoutSeconds)));

        // The services change hands only once the cluster stands: until then a failed apply leaves Samba and Ganesha
        // running as they were, with their own configuration.
        if (smb)
            steps.Add(WriteFile("smb-conf", "Write smb.conf: clustered Samba whose shares live in the cluster-wide registry",
                ConfigFiles.SmbConfPath, "644", StepInput.Of(ConfigFiles.SmbConf(spec))));
        if (nfs)
            foreach (var node in nodes)
                steps.Add(WriteFile($"ganesha-conf-{node}", $"Write ganesha.conf on {node}: {spec.Exports.Count} export(s), NFSv4 recovery state on the shared file system",
                    ConfigFiles.GaneshaConfPath, "644", StepInput.Of(ConfigFiles.GaneshaConf(spec, node)), StepTarget.On(node)));
        if (agents.Systemd && agents.Units(smb, nfs) is { Count: > 0 } units)
            steps.Add(new("hand-over-units", StepTarget.AllNodes, $"Stop {string.Join(", ", units)} where they run on their own and keep systemd from starting them: the cluster runs them from now on",
                new NodeCommand(NodeCommands.HandOverUnits(units), NodeCommands.UnitsHandedOver(units))));

        // 3. The configuration: one batch on a copy of the CIB, pushed once. A filesystem the cluster mounts comes first,
        // in a batch of its own: CTDB's lock directory and Ganesha's state must be made on it before they start.
        var batch = new CibBatch.Context(spec, agents, placement);
        if (byCluster is not null)
        {
            steps.Add(CibBatch.FetchForStorage());
            steps.AddRange(CibBatch.Foundation(batch));
            steps.Add(CibBatch.PushForStorage());
            steps.Add(StoragePlan.ClusterMounted(byCluster));
            if (sharedState is not null) steps.Add(sharedState);
            if (nfs && StoragePlan.ExportFolders(spec, first) is { } exportFolders) steps.Add(exportFolders);
        }
        steps.Add(CibBatch.Fetch());
        steps.AddRange(byCluster is null ? CibBatch.Build(batch) : CibBatch.Services(batch));
        steps.Add(CibBatch.Push());

        // 4. What needs the running cluster: CTDB to take a changed node list, and Samba's registry, which lives in CTDB.
        if (smb)
        {
            steps.Add(WaitForCtdb(first));
            steps.Add(ReloadCtdbNodes(first));
            if (domain is not null)
            {
                var globals = ConfigFiles.DomainGlobals(domain);
                steps.Add(new("domain-settings", StepTarget.On(first),
                    $"Make the cluster a member of {domain.Realm} in the cluster-wide registry: security = ads, workgroup {domain.Workgroup}, idmap {domain.Idmap.ToString().ToLowerInvariant()} {domain.IdmapRange}",
                    new NodeCommand(NodeCommands.SetRegistryGlobals, NodeCommands.RegistryGlobalsAre, StepInput.Of(ConfigFiles.GlobalsLines(globals)))));
                steps.Add(new(DomainJoinStep, StepTarget.On(first),
                    $"Join {domain.Realm} once for the whole cluster (one machine account '{spec.Name.ToUpperInvariant()}$', its secret replicated by CTDB), " +
                    "with the domain administrator given at apply time (on standard input, never kept)",
                    new NodeCommand(NodeCommands.JoinDomain(domain.Realm), NodeCommands.DomainJoined, StepInput.FromSecret(DomainAdministrator))));
                // The share folders' owners need winbind. One started before the domain's settings serves WORKGROUP until
                // restarted (node by node: restarts of one clone on several nodes at once disturb each other); one started
                // after them learns of the join within its reconnect delay.
                foreach (var node in nodes)
                    steps.Add(new($"winbind-ready-{node}", StepTarget.On(node),
                        $"Wait until winbind works for {domain.Workgroup} on {node} (its trust secret, the domain's groups), restarting it there if it started before the domain's settings",
                        new NodeCommand(NodeCommands.WaitForWinbind(domain.Workgroup, WinbindTimeoutSeconds, ResourceIds.WinbindClone, node), NodeCommands.WinbindWorks(domain.Workgroup))));
                if (domain.RegisterVipsInDns && spec.VirtualIps.Count > 0)
                {
                    // The join registers nothing (--no-dns-updates): clients must find the cluster on its VIPs only.
                    var fqdn = $"{spec.Name.ToLowerInvariant()}.{domain.DnsDomain}";
                    var vips = spec.VirtualIps.Select(v => v.Address).ToArray();
                    steps.Add(new("domain-dns", StepTarget.On(first), $"Register {fqdn} in the domain's DNS with the virtual IPs ({string.Join(", ", vips)}), never a node's own address",
                        new NodeCommand(NodeCommands.RegisterInDns(fqdn, vips), NodeCommands.RegisteredInDns(fqdn, vips))));
                }
            }
            foreach (var share in spec.Shares)
            {
                steps.Add(new($"share-{share.Name}", StepTarget.On(first), $"Share {share.Path} as \\\\{spec.Name}\\{share.Name}" + (share.ReadOnly ? " (read-only)" : ""),
                    new ImportShare(share.Name, ConfigFiles.ShareSection(share))));
            }
            // After the registry shares: by now CTDB runs, and with it winbind, which a domain owner or group needs.
            foreach (var share in spec.Shares.Where(s => s.SetsFolder))
                steps.Add(new($"share-folder-{share.Name}", StepTarget.On(first),
                    $"Create {share.Path} when missing and set its {FolderSettings(share)} on the shared file system, so that share {share.Name}'s users can write",
                    new NodeCommand(NodeCommands.SetShareFolder(share), NodeCommands.ShareFolderIs(share))));
            var names = spec.Shares.Select(s => s.Name).ToArray();
            steps.Add(new("shares-not-in-spec", StepTarget.On(first),
                "Remove shares the spec no longer has from the registry (the console owns the registry; the shared folders and their data stay)",
                new NodeCommand(NodeCommands.RemoveSharesExcept(names), NodeCommands.OnlyShares(names))));
        }
        steps.Add(Settle(first));
        steps.Add(ServeCheck.Step(spec));

        return new Plan(spec.Name, steps, warnings, blockers);
    }

    private static string FolderSettings(ShareSpec share) => string.Join(", ", new[]
    {
        share.Owner is { } owner ? $"owner {owner.AccountName}" : null,
        share.Group is { } group ? $"group {group.AccountName}" : null,
        share.Mode is { } mode ? $"mode {mode}" : null,
    }.OfType<string>());

    public static IReadOnlyList<string> RequiredPackages(bool smb, bool nfs) =>
        ["corosync", "pacemaker", "pcs", "resource-agents", .. smb ? ["ctdb", "samba", "smbclient"] : Array.Empty<string>(), .. nfs ? ["nfs-ganesha"] : Array.Empty<string>()];

    /// <summary>What the node's probe says is missing for this cluster: the packages it needs, then smb.conf's VFS modules.</summary>
    private static IEnumerable<string> SoftwareBlockers(string node, NodeFacts facts, ClusterPurpose purpose)
    {
        var os = NodeOs.Of(facts);
        var missing = NodePackages.Missing(facts, purpose);
        if (missing.Count > 0)
        {
            var install = os.InstallCommand(missing.Select(p => p.Name));
            yield return $"{node} lacks {string.Join(", ", missing.Select(p => p.Name))}: " + (install is null ? "install them with the distribution's tools" : $"run `{install}`");
        }
        if (missing.All(p => p.Service != ClusterPurpose.Smb) && ProbeFindings.MissingVfsModules(facts, purpose) is { Count: > 0 } absent)
            yield return $"{node}: smbd has no VFS module {string.Join(", ", absent)}, which smb.conf loads for every share ({NodePackages.VfsModuleFix(os)})";
    }

    /// <summary>
    /// A domain member needs winbind and its NSS module, a DC it finds through DNS and a clock the DC accepts — each node,
    /// as its last probe (one that looked the domain up) saw it.
    /// </summary>
    private static IEnumerable<string> DomainBlockers(string node, NodeFacts facts, ActiveDirectorySpec ad)
    {
        var missing = NodePackages.MissingForDomain(facts);
        if (missing.Count > 0)
        {
            var install = NodeOs.Of(facts).InstallCommand(missing.Select(p => p.Name));
            yield return $"{node} lacks {string.Join(", ", missing.Select(p => p.Name))} ({missing[0].Why}): " + (install is null ? "install them with the distribution's tools" : $"run `{install}`");
        }
        if (facts.Domain is not { } domain || !string.Equals(domain.Realm, ad.Realm, StringComparison.OrdinalIgnoreCase))
            yield return $"{node} was last probed before the cluster was to join {ad.Realm}: probe it again, so the console knows it finds the domain's DC and their clocks agree";
        else
            foreach (var finding in ProbeFindings.DomainFindings(domain).Where(f => f.Severity == FindingSeverity.Blocker))
                yield return $"{node}: {finding.Message}";
    }

    /// <summary>
    /// A node that finds the DC through other DNS servers than the domain's works today, through a forwarder or a copy of
    /// the zone, and fails when that falls behind the domain (a new DC, a moved one): the admin is told, not stopped.
    /// </summary>
    private static string? OtherResolversWarning(string node, NodeFacts facts, ActiveDirectorySpec ad) =>
        ad.DnsServers.Count > 0 && facts.Domain is { Found: true, Resolvers.Count: > 0 } domain
            && !domain.Resolvers.Intersect(ad.DnsServers.Select(InputRules.CanonicalAddress), StringComparer.OrdinalIgnoreCase).Any()
            ? $"{node} asks {string.Join(", ", domain.Resolvers)} for names, none of the domain's DNS servers ({string.Join(", ", ad.DnsServers)}): it finds " +
              $"{domain.Controller} today, but winbind and Kerberos follow the domain only through its own DNS. Point {node}'s /etc/resolv.conf (or systemd-resolved) at them."
            : null;

    /// <summary>
    /// A node already set up for another cluster (its own corosync.conf, or the package's default with nodes or resources
    /// added) is someone's: the plan refuses it, naming what it found. The same cluster's nodes are a re-apply or a node
    /// added or removed; the package's unconfigured default cluster is replaced.
    /// </summary>
    private static string? OtherClusterBlocker(string node, NodeFacts facts, string clusterName) =>
        facts.ExistingCluster is { IsConfigured: true } existing && existing.Name != clusterName
            ? $"{node} is already set up for {existing.Describe()}: the console builds '{clusterName}' only on nodes in no cluster, in '{clusterName}' itself, " +
              $"or in the corosync package's default one-node cluster, and changes nothing on {node}. If that cluster is no longer wanted, " +
              $"run `pcs cluster destroy` on {node} (it deletes that cluster's configuration) and probe {node} again."
            : null;

    private static IReadOnlyList<string> RequiredCommands(bool smb, bool nfs) =>
        ["corosync", "pacemakerd", "pcs", "crm_mon", .. smb ? ["ctdbd", "smbd", "net", "testparm", "pdbedit", "smbclient"] : Array.Empty<string>(), .. nfs ? ["ganesha.nfsd", "dbus-send"] : Array.Empty<string>()];

    private static IReadOnlyList<string> StateDirectories(ClusterSpec spec, bool smb, bool nfs)
    {
        var dirs = new List<string>();
        if (smb)
        {
            var lockPath = spec.SharedState!.RecoveryLock!;
            dirs.Add(lockPath.LastIndexOf('/') is > 0 and var slash ? lockPath[..slash] : "/");
        }
        if (nfs) dirs.AddRange(spec.Nodes.Select(n => ConfigFiles.GaneshaRecoveryRoot(spec, n.Name)));
        if (spec.VirtualIps.Count > 0) dirs.Add(TickleAgents.Directory(spec));
        return dirs;
    }

    internal static PlanStep ReloadCorosync(StepTarget target, string id = "corosync-reload") =>
        new(id, target, "Have the running corosync load corosync.conf if it changed (a node added or removed, two_node, token)", new ReloadConfig(ReloadedConfig.Corosync));

    internal static PlanStep ReloadCtdbNodes(string node) =>
        new("ctdb-reloadnodes", StepTarget.On(node), "Have the running CTDB daemons load CTDB's node list if it changed", new ReloadConfig(ReloadedConfig.CtdbNodes));

    internal static PlanStep WaitForCtdb(string node) =>
        new("ctdb-healthy", StepTarget.On(node), "Wait until CTDB is healthy on every node (it keeps Samba's registry and takes node list changes)",
            new NodeCommand(NodeCommands.WaitForCtdb(CtdbTimeoutSeconds), NodeCommands.CtdbHealthy));

    internal static PlanStep Settle(string node) =>
        new("settle", StepTarget.On(node), "Wait until every resource has started where it belongs",
            // Settled within a few seconds: nothing to wait for, so a re-apply reports it done.
            new NodeCommand(NodeCommands.WaitForResources(SettleTimeoutSeconds), NodeCommands.WaitForResources(SettledCheckSeconds)));

    internal static PlanStep WriteFile(string id, string description, string path, string mode, StepInput input, StepTarget? target = null) =>
        new(id, target ?? StepTarget.AllNodes, description, new WriteFile(path, mode, input));
}
