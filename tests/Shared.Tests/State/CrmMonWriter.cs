using System.Xml.Linq;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>Renders a state as crm_mon would print it, in either dialect: the other half of the round-trip tests.</summary>
internal static class CrmMonWriter
{
    public static string Write(ClusterState state)
    {
        var legacy = state.Format == CrmMonFormat.Legacy;
        var s = state.Summary;
        var root = new XElement(legacy ? "crm_mon" : "pacemaker-result",
            Attr(legacy ? "version" : "api-version", state.Version),
            s.PacemakerdState is null ? null : new XElement("pacemakerd", Attr("state", s.PacemakerdState)),
            new XElement("summary",
                new XElement("stack", Attr("type", s.Stack)),
                new XElement("current_dc", Attr("present", s.DcPresent), s.DcPresent
                    ? new object?[] { Attr("version", s.DcVersion), Attr("name", s.DcName), Attr("id", s.DcId), Attr("with_quorum", s.HasQuorum) }
                    : null),
                new XElement("last_update", Attr("time", s.LastUpdate)),
                new XElement("last_change", Attr("time", s.LastChange), Attr("user", s.LastChangeUser),
                    Attr("client", s.LastChangeClient), Attr("origin", s.LastChangeOrigin)),
                new XElement("nodes_configured", Attr("number", s.NodesConfigured)),
                new XElement("resources_configured", Attr("number", s.ResourcesConfigured),
                    Attr("disabled", s.ResourcesDisabled), Attr("blocked", s.ResourcesBlocked)),
                new XElement("cluster_options", Attr(legacy ? "stonith-enabled" : "fencing-enabled", s.FencingEnabled),
                    Attr("symmetric-cluster", s.SymmetricCluster), Attr("no-quorum-policy", s.NoQuorumPolicy),
                    Attr("maintenance-mode", s.MaintenanceMode), Attr("stop-all-resources", s.StopAllResources),
                    Attr("a-future-option", "ignored"))),
            new XElement("nodes", state.Nodes.Select(n => new XElement("node",
                Attr("name", n.Name), Attr("id", n.Id), Attr("online", n.Online), Attr("standby", n.Standby),
                Attr("standby_onfail", n.StandbyOnFail), Attr("maintenance", n.Maintenance), Attr("pending", n.Pending),
                Attr("unclean", n.Unclean), Attr("health", n.Health), Attr("shutdown", n.Shutdown),
                Attr("expected_up", n.ExpectedUp), Attr("is_dc", n.IsDc), Attr("resources_running", n.ResourcesRunning),
                Attr("type", n.Kind == NodeKind.Unknown ? "unknown" : n.Kind.ToString().ToLowerInvariant()),
                Attr(legacy ? "container_id" : "id_as_resource", n.Container)))),
            new XElement("resources", state.Resources.Select(r => Resource(r, legacy))),
            new XElement("node_attributes", state.NodeAttributes.Select(n => new XElement("node", Attr("name", n.Node),
                n.Attributes.Select(a => new XElement("attribute", Attr("name", a.Name), Attr("value", a.Value), Attr("expected", a.Expected)))))),
            new XElement("a_future_section", new XElement("node", Attr("name", "not-a-node"))),
            new XElement("failures", state.Failures.Select(f => new XElement("failure",
                Attr("op_key", f.OperationKey), Attr("node", f.Node), Attr("exitstatus", f.ExitStatus),
                Attr("exitreason", f.ExitReason ?? ""), Attr("exitcode", f.ExitCode), Attr("call", f.Call),
                Attr("status", f.Status), Attr("last-rc-change", f.LastRcChange), Attr("interval", f.IntervalMs),
                Attr("task", f.Task)))),
            new XElement("fence_history", state.FenceHistory.Select(f => new XElement("fence_event",
                Attr("status", f.Status.ToString().ToLowerInvariant()), Attr("exit-reason", f.ExitReason),
                Attr("delegate", f.Delegate), Attr("action", f.Action), Attr("target", f.Target), Attr("client", f.Client),
                Attr("origin", f.Origin), Attr("completed", f.Completed)))),
            new XElement("tickets", state.Tickets.Select(t => new XElement("ticket", Attr("id", t.Id),
                Attr("status", t.Granted ? "granted" : "revoked"), Attr("standby", t.Standby), Attr("last-granted", t.LastGranted)))),
            new XElement("bans", state.Bans.Select(b => new XElement("ban", Attr("id", b.Id), Attr("resource", b.Resource),
                Attr("node", b.Node), Attr("weight", b.Weight == -1_000_000 && legacy ? "-INFINITY" : b.Weight.ToString()),
                legacy ? null : Attr("promoted-only", b.PromotedOnly), Attr("master_only", b.PromotedOnly)))),
            legacy ? null : new XElement("status", Attr("code", 0), Attr("message", "OK")));
        return root.ToString();
    }

    private static XElement Resource(ClusterResource resource, bool legacy) => resource switch
    {
        PrimitiveResource p => new XElement("resource", Attr("id", p.Id),
            Attr("resource_agent", legacy ? LegacyAgent(p.Agent) : p.Agent), Attr("role", Role(p.Role, legacy)),
            Attr("target_role", p.TargetRole is { } t ? Role(t, legacy) : null), Attr("active", p.Active),
            Attr(legacy ? "orphaned" : "removed", p.Orphaned), Attr("blocked", p.Blocked), Attr("maintenance", p.Maintenance),
            Attr("managed", p.Managed), Attr("failed", p.Failed), Attr("failure_ignored", p.FailureIgnored),
            Attr("nodes_running_on", p.Nodes.Count), Attr("locked_to", "a-future-attribute"),
            p.Nodes.Select(n => new XElement("node", Attr("name", n), Attr("id", n), Attr("cached", true)))),
        ResourceGroup g => new XElement("group", Attr("id", g.Id), Attr("number_resources", g.Members.Count),
            Attr("managed", g.Managed), Attr("disabled", g.Disabled), Attr("maintenance", g.Maintenance),
            g.Members.Select(m => Resource(m, legacy))),
        CloneSet c => new XElement("clone", Attr("id", c.Id), Attr("multi_state", c.Promotable), Attr("unique", c.Unique),
            Attr("maintenance", c.Maintenance), Attr("managed", c.Managed), Attr("disabled", c.Disabled),
            Attr("failed", c.Failed), Attr("failure_ignored", c.FailureIgnored),
            Attr("target_role", c.TargetRole is { } t ? Role(t, legacy) : null), c.Instances.Select(i => Resource(i, legacy))),
        ResourceBundle b => new XElement("bundle", Attr("id", b.Id), Attr("type", b.ContainerType), Attr("image", b.Image),
            Attr("unique", b.Unique), Attr("maintenance", b.Maintenance), Attr("managed", b.Managed), Attr("failed", b.Failed),
            b.Replicas.Select(r => new XElement("replica", Attr("id", r.Id), r.Resources.Select(m => Resource(m, legacy))))),
        _ => throw new ArgumentOutOfRangeException(nameof(resource)),
    };

    private static string LegacyAgent(string agent) =>
        agent.Split(':') is [var cls, var provider, var type] ? $"{cls}::{provider}:{type}" : agent;

    private static string Role(ResourceRole role, bool legacy) => (role, legacy) switch
    {
        (ResourceRole.Promoted, true) => "Master",
        (ResourceRole.Unpromoted, true) => "Slave",
        _ => role.ToString(),
    };

    private static XAttribute? Attr(string name, object? value) => value switch
    {
        null => null,
        bool b => new XAttribute(name, b ? "true" : "false"),
        _ => new XAttribute(name, value),
    };
}
