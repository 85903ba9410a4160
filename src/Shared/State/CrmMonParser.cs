using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace StorageHa.Shared.State;

/// <summary>
/// Reads <c>crm_mon --output-as=xml</c> (Pacemaker ≥ 2.0.3) and the legacy <c>crm_mon -X</c> into a
/// <see cref="ClusterState"/>. Elements and attributes it does not know are skipped, so newer Pacemakers still read;
/// output that is not a crm_mon document gives a <see cref="CrmMonParseException"/> saying why.
/// </summary>
public static class CrmMonParser
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    public static ClusterState Parse(TextReader text) => Parse(text.ReadToEnd());

    public static ClusterState Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (string.IsNullOrWhiteSpace(xml))
            throw new CrmMonParseException("crm_mon printed nothing: expected an XML document (crm_mon --output-as=xml).");
        XDocument document;
        try
        {
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, ReaderSettings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e) when (EndsInsideTheDocument(xml, e))
        {
            throw new CrmMonParseException(
                $"crm_mon output is truncated: it ends at line {e.LineNumber} before the document is complete ({e.Message})", e);
        }
        catch (XmlException e)
        {
            throw new CrmMonParseException(
                $"crm_mon output is not XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e);
        }
        return Read(document.Root!);
    }

    // A reader error on the last line means the text stopped mid-document (a cut SSH stream, a full disk).
    private static bool EndsInsideTheDocument(string xml, XmlException e)
    {
        var content = xml.TrimEnd();
        var lastLine = content.Count(c => c == '\n') + 1;
        return e.Message.Contains("Unexpected end of file", StringComparison.Ordinal)
            || (e.LineNumber >= lastLine && content.TrimStart().StartsWith('<'));
    }

    private static ClusterState Read(XElement root)
    {
        var format = root.Name.LocalName switch
        {
            "pacemaker-result" => CrmMonFormat.PacemakerResult,
            "crm_mon" => CrmMonFormat.Legacy,
            var other => throw new CrmMonParseException(
                $"Not crm_mon output: the document is <{other}>, expected <pacemaker-result> (crm_mon --output-as=xml) " +
                "or <crm_mon> (crm_mon -X)." + (other == "cib" ? " This is a CIB; run crm_mon on it to get the status." : "")),
        };
        var summary = root.Element("summary");
        if (summary is null && root.Element("nodes") is null && root.Element("resources") is null)
            ThrowForMissingStatus(root);

        var nodes = ReadNodes(root.Element("nodes"));
        var resources = WithResourcesGroupedByNode(ReadResourceList(root.Element("resources")), root.Element("nodes"));
        return new ClusterState
        {
            Format = format,
            Version = format == CrmMonFormat.PacemakerResult ? Text(root, "api-version") : Text(root, "version"),
            Summary = ReadSummary(summary, root.Element("pacemakerd")),
            Nodes = nodes,
            Resources = resources,
            NodeAttributes = ReadNodeAttributes(root.Element("node_attributes")),
            Failures = ReadFailures(root.Element("failures")),
            FenceHistory = ReadFenceHistory(root.Element("fence_history")),
            Bans = ReadBans(root.Element("bans")),
            Tickets = ReadTickets(root.Element("tickets")),
        };
    }

    // crm_mon reports a dead or unreachable cluster as a result with only a status and its errors.
    private static void ThrowForMissingStatus(XElement root)
    {
        var status = root.Element("status");
        var errors = status?.Element("errors")?.Elements("error").Select(e => e.Value.Trim()).ToArray() ?? [];
        var message = errors.Length > 0
            ? $"crm_mon reported no cluster status: {string.Join("; ", errors)}"
            : status is not null
                ? $"crm_mon reported no cluster status (status {Text(status, "code")}: {Text(status, "message")})."
                : $"crm_mon output <{root.Name.LocalName}> holds no summary, nodes or resources.";
        throw new CrmMonParseException(message) { CrmMonErrors = errors };
    }

    private static ClusterSummary ReadSummary(XElement? summary, XElement? pacemakerd)
    {
        if (summary is null) return new ClusterSummary { PacemakerdState = Text(pacemakerd, "state") };
        var dc = summary.Element("current_dc");
        var change = summary.Element("last_change");
        var resources = summary.Element("resources_configured");
        var options = summary.Element("cluster_options");
        var dcPresent = Bool(dc, "present");
        return new ClusterSummary
        {
            Stack = Text(summary.Element("stack"), "type"),
            DcPresent = dcPresent,
            DcName = dcPresent ? Text(dc, "name") : null,
            DcId = dcPresent ? Text(dc, "id") : null,
            DcVersion = dcPresent ? Text(dc, "version") : null,
            HasQuorum = dcPresent && Bool(dc, "with_quorum"),
            LastUpdate = Text(summary.Element("last_update"), "time"),
            LastChange = Text(change, "time"),
            LastChangeUser = Text(change, "user"),
            LastChangeClient = Text(change, "client"),
            LastChangeOrigin = Text(change, "origin"),
            NodesConfigured = Int(summary.Element("nodes_configured"), "number") ?? 0,
            ResourcesConfigured = Int(resources, "number") ?? 0,
            ResourcesDisabled = Int(resources, "disabled") ?? 0,
            ResourcesBlocked = Int(resources, "blocked") ?? 0,
            FencingEnabled = OptionalBool(options, "fencing-enabled") ?? OptionalBool(options, "stonith-enabled"),
            SymmetricCluster = OptionalBool(options, "symmetric-cluster"),
            NoQuorumPolicy = Text(options, "no-quorum-policy"),
            MaintenanceMode = Bool(options, "maintenance-mode"),
            StopAllResources = Bool(options, "stop-all-resources"),
            PacemakerdState = Text(pacemakerd, "state"),
        };
    }

    private static ValueList<ClusterNode> ReadNodes(XElement? nodes) =>
        nodes is null
            ? []
            : nodes.Elements("node").Select(node => new ClusterNode
            {
                Name = Required(node, "name"),
                Id = Text(node, "id"),
                Online = Bool(node, "online"),
                Standby = Bool(node, "standby"),
                StandbyOnFail = Bool(node, "standby_onfail"),
                Maintenance = Bool(node, "maintenance"),
                Pending = Bool(node, "pending"),
                Unclean = Bool(node, "unclean"),
                Shutdown = Bool(node, "shutdown"),
                ExpectedUp = Bool(node, "expected_up"),
                IsDc = Bool(node, "is_dc"),
                Kind = Text(node, "type") switch
                {
                    "member" => NodeKind.Member,
                    "remote" => NodeKind.Remote,
                    "ping" => NodeKind.Ping,
                    _ => NodeKind.Unknown,
                },
                ResourcesRunning = Int(node, "resources_running") ?? 0,
                Health = Text(node, "health"),
                Container = Text(node, "id_as_resource") ?? Text(node, "container_id"),
            }).ToValueList();

    private static ValueList<ClusterResource> ReadResourceList(XElement? parent)
    {
        if (parent is null) return [];
        var resources = new List<ClusterResource>();
        foreach (var element in parent.Elements())
            if (ReadResource(element, parentNode: null) is { } resource)
                resources.Add(resource);
        return resources.ToValueList();
    }

    // --group-by-node lists each running primitive under its node, and only what is not fully active under
    // <resources>; the node's primitives not already there are added as they are (their group or clone is not named).
    private static ValueList<ClusterResource> WithResourcesGroupedByNode(ValueList<ClusterResource> listed, XElement? nodes)
    {
        var grouped = nodes?.Elements("node").Where(node => node.HasElements).ToArray() ?? [];
        if (grouped.Length == 0) return listed;
        var known = ResourceInstance.Flatten(listed).Select(i => (i.Id, i.Node)).ToHashSet();
        var resources = listed.ToList();
        foreach (var node in grouped)
            foreach (var element in node.Elements())
                if (ReadResource(element, Text(node, "name")) is { } resource
                    && (resource is not PrimitiveResource primitive
                        || primitive.Nodes.Any(n => !known.Contains((primitive.Id, n)))
                        || primitive.Nodes.Count == 0))
                    resources.Add(resource);
        return resources.ToValueList();
    }

    private static ClusterResource? ReadResource(XElement element, string? parentNode) => element.Name.LocalName switch
    {
        "resource" => ReadPrimitive(element, parentNode),
        "group" => new ResourceGroup
        {
            Id = Required(element, "id"),
            Managed = OptionalBool(element, "managed") ?? true,
            Disabled = Bool(element, "disabled"),
            Maintenance = Bool(element, "maintenance"),
            Members = element.Elements("resource").Select(r => ReadPrimitive(r, parentNode)).ToValueList(),
        },
        "clone" => new CloneSet
        {
            Id = Required(element, "id"),
            Promotable = Bool(element, "multi_state"),
            Unique = Bool(element, "unique"),
            Managed = OptionalBool(element, "managed") ?? true,
            Disabled = Bool(element, "disabled"),
            Failed = Bool(element, "failed"),
            FailureIgnored = Bool(element, "failure_ignored"),
            Maintenance = Bool(element, "maintenance"),
            TargetRole = OptionalRole(element, "target_role"),
            Instances = element.Elements()
                .Select(child => ReadResource(child, parentNode)).OfType<ClusterResource>().ToValueList(),
        },
        "bundle" => new ResourceBundle
        {
            Id = Required(element, "id"),
            ContainerType = Text(element, "type"),
            Image = Text(element, "image"),
            Unique = Bool(element, "unique"),
            Managed = OptionalBool(element, "managed") ?? true,
            Failed = Bool(element, "failed"),
            Maintenance = Bool(element, "maintenance"),
            Replicas = element.Elements("replica")
                .Select(replica => new BundleReplica(
                    Text(replica, "id") ?? "",
                    replica.Elements("resource").Select(r => ReadPrimitive(r, parentNode)).ToValueList()))
                .ToValueList(),
        },
        _ => null,
    };

    private static PrimitiveResource ReadPrimitive(XElement element, string? parentNode)
    {
        var role = Role(Text(element, "role"));
        var active = Bool(element, "active");
        var nodes = element.Elements("node").Select(node => Required(node, "name")).ToValueList();
        // Legacy grouped-by-node output lists a running resource under its node without naming it again.
        if (nodes.Count == 0 && parentNode is not null && active)
            nodes = [parentNode];
        return new PrimitiveResource
        {
            Id = Required(element, "id"),
            Agent = ResourceAgents.Normalize(Text(element, "resource_agent") ?? ""),
            Role = role,
            TargetRole = OptionalRole(element, "target_role"),
            Active = active,
            Orphaned = Bool(element, "orphaned") || Bool(element, "removed"),
            Blocked = Bool(element, "blocked"),
            Managed = OptionalBool(element, "managed") ?? true,
            Failed = Bool(element, "failed"),
            FailureIgnored = Bool(element, "failure_ignored"),
            Maintenance = Bool(element, "maintenance"),
            Nodes = nodes,
        };
    }

    private static ValueList<NodeAttributes> ReadNodeAttributes(XElement? list) =>
        list is null
            ? []
            : list.Elements("node").Select(node => new NodeAttributes(
                Required(node, "name"),
                node.Elements("attribute")
                    .Select(a => new NodeAttribute(Required(a, "name"), Text(a, "value") ?? "", Text(a, "expected")))
                    .ToValueList())).ToValueList();

    private static ValueList<ResourceFailure> ReadFailures(XElement? list) =>
        list is null
            ? []
            : list.Elements("failure").Select(failure =>
            {
                var key = Text(failure, "op_key") ?? Required(failure, "id");
                var task = Text(failure, "task");
                var interval = Long(failure, "interval");
                return new ResourceFailure
                {
                    OperationKey = key,
                    Resource = ResourceOfOperation(key, task, interval),
                    Node = Text(failure, "node") ?? "",
                    Task = task,
                    IntervalMs = interval,
                    ExitStatus = Text(failure, "exitstatus"),
                    ExitCode = Int(failure, "exitcode"),
                    ExitReason = NullIfEmpty(Text(failure, "exitreason")),
                    Status = Text(failure, "status"),
                    Call = Int(failure, "call"),
                    LastRcChange = Text(failure, "last-rc-change"),
                };
            }).ToValueList();

    /// <summary>An operation key is RESOURCE_TASK_INTERVAL; resource ids may themselves contain underscores.</summary>
    internal static string ResourceOfOperation(string key, string? task, long? interval)
    {
        if (task is not null && interval is not null)
        {
            var suffix = $"_{task}_{interval.Value.ToString(CultureInfo.InvariantCulture)}";
            if (key.EndsWith(suffix, StringComparison.Ordinal) && key.Length > suffix.Length)
                return key[..^suffix.Length];
        }
        var last = key.LastIndexOf('_');
        var middle = last > 0 ? key.LastIndexOf('_', last - 1) : -1;
        return middle > 0 ? key[..middle] : key;
    }

    private static ValueList<FenceAction> ReadFenceHistory(XElement? list) =>
        list is null
            ? []
            : list.Elements("fence_event").Select(e => new FenceAction
            {
                Target = Text(e, "target") ?? "",
                Action = Text(e, "action") ?? "",
                Status = Text(e, "status") switch
                {
                    "success" => FenceStatus.Success,
                    "failed" => FenceStatus.Failed,
                    "pending" => FenceStatus.Pending,
                    _ => FenceStatus.Unknown,
                },
                Delegate = Text(e, "delegate"),
                Client = Text(e, "client"),
                Origin = Text(e, "origin"),
                Completed = Text(e, "completed"),
                ExitReason = NullIfEmpty(Text(e, "exit-reason")),
            }).ToValueList();

    private static ValueList<LocationBan> ReadBans(XElement? list) =>
        list is null
            ? []
            : list.Elements("ban").Select(ban => new LocationBan(
                Text(ban, "id") ?? "",
                Text(ban, "resource") ?? "",
                Text(ban, "node") ?? "",
                Score(Text(ban, "weight")),
                OptionalBool(ban, "promoted-only") ?? Bool(ban, "master_only"))).ToValueList();

    private static ValueList<Ticket> ReadTickets(XElement? list) =>
        list is null
            ? []
            : list.Elements("ticket").Select(ticket => new Ticket(
                Required(ticket, "id"),
                Text(ticket, "status") == "granted",
                Bool(ticket, "standby"),
                Text(ticket, "last-granted"))).ToValueList();

    internal static ResourceRole Role(string? text) => text switch
    {
        "Started" => ResourceRole.Started,
        "Stopped" => ResourceRole.Stopped,
        null => ResourceRole.Unknown,
        _ => text.ToLowerInvariant() switch
        {
            "stopped" => ResourceRole.Stopped,
            "started" => ResourceRole.Started,
            "promoted" or "master" => ResourceRole.Promoted,
            "unpromoted" or "slave" => ResourceRole.Unpromoted,
            _ => ResourceRole.Unknown,
        },
    };

    private static ResourceRole? OptionalRole(XElement element, string name) =>
        Text(element, name) is { } text ? Role(text) : null;

    /// <summary>Pacemaker scores: integers clamped to ±1000000, which is what INFINITY means.</summary>
    private static int Score(string? text) => text?.Trim() switch
    {
        null or "" => 0,
        "INFINITY" or "+INFINITY" => 1_000_000,
        "-INFINITY" => -1_000_000,
        var number => int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score)
            ? Math.Clamp(score, -1_000_000, 1_000_000)
            : 0,
    };

    private static string? Text(XElement? element, string name) => element?.Attribute(name)?.Value;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Required(XElement element, string name) =>
        element.Attribute(name)?.Value ?? throw new CrmMonParseException(
            $"crm_mon output has a <{element.Name.LocalName}> without its {name} attribute" +
            (((IXmlLineInfo)element).HasLineInfo() ? $" at line {((IXmlLineInfo)element).LineNumber}." : "."));

    private static bool Bool(XElement? element, string name) => OptionalBool(element, name) ?? false;

    private static bool? OptionalBool(XElement? element, string name) => Text(element, name) switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        null => null,
        var other when other.Trim() is var t && (t.Equals("true", StringComparison.OrdinalIgnoreCase)
            || t.Equals("yes", StringComparison.OrdinalIgnoreCase) || t.Equals("on", StringComparison.OrdinalIgnoreCase)) => true,
        var other when other.Trim() is var t && (t.Equals("false", StringComparison.OrdinalIgnoreCase)
            || t.Equals("no", StringComparison.OrdinalIgnoreCase) || t.Equals("off", StringComparison.OrdinalIgnoreCase)) => false,
        _ => null,
    };

    private static int? Int(XElement? element, string name) =>
        int.TryParse(Text(element, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static long? Long(XElement? element, string name) =>
        long.TryParse(Text(element, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
