using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The plans that change a running cluster's membership or take it down: each a <see cref="Plan"/> like
/// <see cref="PlanBuilder.Build"/>'s, deterministic, every step with a check so that a re-run converges.
/// </summary>
public static class LifecyclePlans
{
    private const int DrainTimeoutSeconds = 300;

    /// <summary>
    /// <paramref name="spec"/> is the cluster with the new node, the one with the highest number. The spec's plan already
    /// converges (every step on the other nodes is found done); this one tells CTDB about the node before the node starts,
    /// as CTDB requires, and corosync before the node joins, so that it is let in.
    /// </summary>
    public static Plan AddNode(ClusterSpec spec, string node, IReadOnlyDictionary<string, NodeFacts> facts, FenceEvidence? fencing = null)
    {
        var newest = spec.Nodes.MaxBy(n => n.Number);
        if (spec.Nodes.Count < 2 || newest!.Name != node)
            throw new InvalidInputException([new("nodes", $"{node} must be the node with the highest number: a node that joins takes a number after every other node's, which they keep")]);
        var full = PlanBuilder.Build(spec, facts, fencing);
        var early = full.Steps.Where(s => s.Action is ReloadConfig).ToList();
        // The services change hands after the quorum wait when a cluster forms; a joining node starts the cluster's
        // services as soon as it joins, so it needs their files and the units handed over before it starts.
        var quorum = full.Steps.ToList().FindIndex(s => s.Action is WaitForCluster { Condition: QuorateWithOnline });
        var takeover = full.Steps.Skip(quorum + 1).TakeWhile(s => s.Action is not FetchCib).ToList();
        var steps = new List<PlanStep>();
        foreach (var step in full.Steps.Except(early).Except(takeover))
        {
            if (step.Action is StartCluster)
            {
                // The running nodes take the new node list first; the new node is not running yet, so it only records the files.
                steps.AddRange(early.Where(s => s.Action is ReloadConfig { Config: ReloadedConfig.CtdbNodes }));
                steps.Add(early.Single(s => s.Action is ReloadConfig { Config: ReloadedConfig.Corosync }));
                steps.AddRange(takeover);
                steps.Add(step with { Description = $"Start corosync and pacemaker on {node} (the other nodes already run them)" });
            }
            else steps.Add(step);
        }
        return full with
        {
            Steps = steps,
            Warnings = [$"Adds {node} as node {newest.Number}: the virtual IPs' placement is recomputed, so some move to {node}.", .. full.Warnings],
        };
    }

    /// <summary>
    /// <paramref name="spec"/> is the cluster as it runs, with the node still in it. The node's resources move off first;
    /// it then leaves corosync, Pacemaker and CTDB, and the others keep their node numbers, wherever it was in the list.
    /// </summary>
    public static Plan RemoveNode(ClusterSpec spec, string node, IReadOnlyDictionary<string, NodeFacts> facts, FenceEvidence? fencing = null)
    {
        if (spec.Nodes.All(n => n.Name != node)) throw new InvalidInputException([new("nodes", $"{node} is not a node of {spec.Name}")]);
        var remaining = spec with { Nodes = spec.Nodes.Where(n => n.Name != node).ToArray() };
        // The plan of the cluster without the node: it checks what remains, and gives the batch that re-places the VIPs.
        var after = PlanBuilder.Build(remaining, facts, fencing);
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var others = remaining.Nodes.Select(n => n.Name).ToArray();
        var first = others[0];

        var steps = new List<PlanStep>
        {
            new("standby", StepTarget.On(first), $"Put {node} in standby and wait until its resources have moved to the other nodes",
                new NodeCommand(NodeCommands.Standby(node, DrainTimeoutSeconds), new ClusterCheck(new Drained(node)))),
            new("stop-cluster", StepTarget.On(node), $"Stop pacemaker and corosync on {node}", new StopCluster()),
        };
        // The node helper stays on the node that leaves (harmless there; the namespace lab's nodes even share its files).
        steps.AddRange(GiveBack(spec, facts, StepTarget.On(node), withNodeHelper: false));
        var corosync = StepInput.Of(ConfigFiles.CorosyncConf(remaining));
        steps.AddRange(others.Select(n => PlanBuilder.WriteFile($"corosync-conf-{n}", $"Write corosync.conf on {n} without {node}" + (others.Length == 2 ? " (two nodes left: two_node)" : ""),
            ConfigFiles.CorosyncConfPath, "644", corosync, StepTarget.On(n))));
        steps.AddRange(others.Select(n => PlanBuilder.ReloadCorosync(StepTarget.On(n), $"corosync-reload-{n}")));
        steps.Add(new("forget-node", StepTarget.On(first), $"Remove {node} from Pacemaker's node list",
            new NodeCommand(NodeCommands.ForgetNode(node), NodeCommands.NodeForgotten(node))));
        if (smb)
        {
            // From the spec with the node: when it has the highest number its line stays, commented out, as CTDB requires.
            var ctdb = StepInput.Of(ConfigFiles.CtdbNodes(spec, [node]));
            steps.AddRange(others.Select(n => PlanBuilder.WriteFile($"ctdb-nodes-{n}", $"Comment out {node} in CTDB's node list on {n} (the nodes after it keep their numbers)",
                ConfigFiles.CtdbNodesPath, "644", ctdb, StepTarget.On(n))));
            steps.Add(PlanBuilder.ReloadCtdbNodes(first));
        }
        steps.AddRange(after.Steps.Where(s => s.Action is FetchCib or EditCib or PushCib));
        steps.Add(PlanBuilder.Settle(first));
        // The leaving node is out of the cluster by now: the serve check runs on the nodes that stay.
        var serve = after.Steps.Single(s => s.ChecksServing);
        steps.AddRange(others.Select(n => serve with { Id = $"{serve.Id}-{n}", Target = StepTarget.On(n) }));

        return new Plan(spec.Name, steps, [$"Removes {node}: its virtual IPs move to the other nodes first.", .. after.Warnings], after.Blockers);
    }

    /// <summary>
    /// Everything the console created, removed: resources stopped, then deleted from the CIB in one batch; the registry's
    /// shares, the cluster stopped, the files the plan wrote. The shared folders and the data in them are never touched.
    /// </summary>
    /// <param name="leaveDomain">
    /// A domain administrator comes with the teardown (<see cref="PlanBuilder.DomainAdministrator"/>): the cluster leaves its
    /// Active Directory domain and its machine account is deleted there; otherwise the plan says what to delete by hand.
    /// </param>
    public static Plan Teardown(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts, bool leaveDomain = false)
    {
        // Built only for its constraints and blockers: a fence device that fails its Test must not keep a cluster from being taken down.
        var built = PlanBuilder.Build(spec with { Fencing = new() { NoFencingAcknowledged = true } }, facts);
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;
        var first = spec.Nodes[0].Name;
        var vips = spec.VirtualIps.Select(v => ResourceIds.Vip(v.Address)).Order(StringComparer.Ordinal).ToArray();
        var domain = smb && spec.Identity.Mode == IdentityMode.ActiveDirectory ? spec.Identity.ActiveDirectory : null;
        string[] services = [.. nfs ? [ResourceIds.GaneshaClone] : Array.Empty<string>(),
                             .. smb ? [ResourceIds.SambaClone(spec.NetBios), .. domain is null ? Array.Empty<string>() : [ResourceIds.WinbindClone], ResourceIds.CtdbClone] : Array.Empty<string>()];
        var fences = spec.Fencing.Devices.Select(d => ResourceIds.FenceDevice(d.Name)).ToArray();
        var constraints = built.CibEdits.Select(e => e.Written).OfType<System.Xml.Linq.XElement>()
            .Where(e => e.Name == "rsc_colocation" || e.Name == "rsc_order").Select(e => e.Attribute("id")!.Value).ToArray();

        var steps = new List<PlanStep>();
        var machineAccount = spec.Name.ToUpperInvariant() + "$";
        if (domain is not null && leaveDomain)
        {
            // First, while CTDB still holds the machine account's secret (healthy: a node just back may still be recovering).
            steps.Add(PlanBuilder.WaitForCtdb(first));
            steps.Add(new("domain-leave", StepTarget.On(first), $"Leave {domain.Realm}: delete the cluster's machine account '{machineAccount}' there, with the domain administrator given for this teardown",
                new NodeCommand(NodeCommands.LeaveDomain(domain.Realm), NodeCommands.DomainNotJoined, StepInput.FromSecret(PlanBuilder.DomainAdministrator))));
        }
        if (smb && spec.Shares.Count > 0)
        {
            var names = spec.Shares.Select(s => s.Name).ToArray();
            steps.Add(new("shares", StepTarget.On(first), $"Remove the shares {string.Join(", ", names)} from the registry (the folders and their data stay)",
                new NodeCommand(NodeCommands.DeleteShares(names), NodeCommands.SharesAbsent(names))));
        }
        var tickles = spec.VirtualIps.Select(v => ResourceIds.Tickle(v.Address)).Order(StringComparer.Ordinal).ToArray();
        var graces = nfs ? spec.VirtualIps.Select(v => NfsGrace.CloneId(v.Address)).Order(StringComparer.Ordinal).ToArray() : [];
        // The cluster filesystem last: every service is stopped before it is unmounted.
        var storage = spec.Storage is { Mounting: StorageMounting.ByCluster } mounted ? mounted : null;
        string[] stop = [.. graces, .. tickles, .. vips, .. services, .. storage is null ? Array.Empty<string>() : [ResourceIds.StorageClone]];
        steps.Add(new("stop-resources", StepTarget.On(first), "Stop the virtual IPs and services (Pacemaker stops them in reverse order: VIPs first)" +
                (storage is null ? "" : $", then unmount the cluster filesystem from {storage.MountPoint} on every node (the volume and its data stay as they are)"),
            new NodeCommand(NodeCommands.StopResources(stop, DrainTimeoutSeconds), NodeCommands.ResourcesStopped(stop))));
        steps.Add(CibBatch.Fetch());
        steps.AddRange(constraints.Select(id => Delete($"constraint-{id}", $"Remove the constraint {id}", id)));
        steps.AddRange(stop.Select(id => Delete(id, id == ResourceIds.StorageClone
            ? $"Remove {id}, the cluster filesystem's mount (with the constraints that name it): the cluster no longer mounts it; its data stays on the volume"
            : $"Remove {id} (with the constraints that name it)", id)));
        steps.AddRange(fences.Select(id => Delete(id, $"Remove the fence device {id} (with the constraints that name it)", id)));
        steps.Add(CibBatch.Push());
        steps.Add(new("stop-cluster", StepTarget.AllNodes, "Stop pacemaker and corosync", new StopCluster()));
        steps.AddRange(GiveBack(spec, facts, StepTarget.AllNodes));

        List<string> notes = domain is not null && !leaveDomain
            ? [$"The cluster's machine account '{machineAccount}' stays in {domain.Realm}: delete it there (Active Directory Users and Computers, " +
               $"or `samba-tool computer delete {machineAccount}` on a Samba DC), or give a domain administrator with the teardown and the console deletes it."]
            : [];
        return new Plan(spec.Name, steps,
            [.. notes, $"Tears down {spec.Name}: every resource the console created is stopped and removed and the cluster is stopped on every node. " +
             "Each node gets back what it had before the console: its own smb.conf, ganesha.conf and corosync.conf, and its services starting at boot as they did. " +
             "The shared folders, the data in them and the shared state directories are left as they are" +
             (storage is null ? "." : $"; the cluster filesystem is unmounted from {storage.MountPoint} on every node, and the volume with all its data is left as it is.")],
            built.Blockers);
    }

    /// <summary>
    /// A node that leaves the console's cluster, given back as it was before: its copy of the cluster's CIB deleted, the files the console wrote restored to the
    /// server's own (or removed where it had none), and on systemd the units the cluster took over starting at boot again.
    /// </summary>
    private static IEnumerable<PlanStep> GiveBack(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts, StepTarget target, bool withNodeHelper = true)
    {
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;
        string[] files = [ConfigFiles.CorosyncConfPath, ConfigFiles.AuthkeyPath, ConfigFiles.CorosyncLoadedPath,
            .. smb ? [ConfigFiles.CtdbNodesPath, ConfigFiles.CtdbNodesLoadedPath, ConfigFiles.CtdbTunablesPath, ConfigFiles.SmbConfPath] : Array.Empty<string>(),
            .. nfs ? [ConfigFiles.GaneshaConfPath] : Array.Empty<string>(), .. withNodeHelper ? NodeHelperFiles.All : [],
            .. smb && spec.Identity.Mode == IdentityMode.ActiveDirectory ? [ConfigFiles.Krb5ConfPath, ConfigFiles.NsswitchPath] : Array.Empty<string>()];
        yield return new("forget-cluster-state", target,
            "Delete the node's copy of the cluster's configuration (Pacemaker's CIB, corosync's state), as pcs cluster destroy does: at its next boot the node must not start the cluster's resources",
            new NodeCommand(NodeCommands.ForgetClusterState, NodeCommands.ClusterStateForgotten));
        yield return new("restore-files", target, $"Give back the files the console wrote as the server had them (the originals return, the console's own go: {string.Join(", ", files)})",
            new NodeCommand(NodeCommands.RestoreFiles(ConfigFiles.OriginalsDirectory, files), NodeCommands.FilesRestored(ConfigFiles.OriginalsDirectory, files)));
        if (spec.Identity.Mode == IdentityMode.LocalUsers || spec.Identity.Users.Count > 0 || spec.Identity.Groups.Count > 0)
            yield return LocalAccountSteps.GiveBack(target);
        var probed = spec.Nodes.Where(n => facts.ContainsKey(n.Name)).Select(n => facts[n.Name]).ToList();
        if (ServiceAgents.For(probed, out _) is { Systemd: true })
            yield return new("give-back-units", target,
                "Put systemd's units back as they were: the services the cluster took over start at boot (and now) again, and corosync and pacemaker start at boot only if they did before",
                new NodeCommand(NodeCommands.GiveBackUnits, NodeCommands.UnitsGivenBack));
    }

    /// <summary>
    /// A batch deletion of the element with that id and of every constraint, or set member, that names it (as
    /// <c>pcs resource delete</c> would), skipped once nothing in the CIB has that id.
    /// </summary>
    private static PlanStep Delete(string name, string description, string id) =>
        CibBatch.Remove($"remove-{name}", description,
            $"/cib/configuration/resources//*[@id='{id}'] | /cib/configuration/constraints/*[@id='{id}' or @rsc='{id}' or @with-rsc='{id}' or @first='{id}' or @then='{id}']" +
            $" | /cib/configuration/constraints//resource_ref[@id='{id}']",
            $"/cib/configuration[not(.//*[@id='{id}'])]");
}
