using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Operations;

/// <summary>What a fence by hand does to the node: power it off and on again, or leave it off.</summary>
public enum FenceKind { Reboot, Off }

/// <summary>
/// An operation that fences or acknowledges one node: it runs from another online node (never the one it is about), and
/// only once the operator has typed the node's name.
/// </summary>
public abstract record NodeFencingOperation(string Node, string? Confirmation) : ClusterOperation
{
    public override bool MayRunOn(ClusterState state, string node) => node != Node && state.Node(node) is { Online: true };

    protected override IEnumerable<(string Field, string? Message)> Rules() =>
    [
        ("node", NodeName(Node)),
        ("confirm", Confirmation == Node ? null : $"type the node's name, {Node}, to confirm"),
    ];
}

/// <summary>
/// Fences a node by hand (<c>stonith_admin --reboot|--off</c>): Pacemaker's fencer powers it through its fence device, as
/// it would a node it lost. Refused when no device can fence it or no other node is online to ask from.
/// </summary>
public sealed record FenceNode(string Node, FenceKind Action, string? Confirmation) : NodeFencingOperation(Node, Confirmation)
{
    // stonith_admin waits for the result; its own limit ends the wait before the console's command timeout (60 s) would.
    private const int TimeoutSeconds = 50;

    public override string Kind => Action == FenceKind.Reboot ? "node-fence-reboot" : "node-fence-off";
    public override string Summary => Action == FenceKind.Reboot ? $"Fence {Node}: power it off and on" : $"Fence {Node}: power it off";
    public override string Consequence =>
        $"{Node} loses power at once, as in a power cut: whatever it had not written to disk is lost, and its clients lose service until its resources start on another node. " +
        (Action == FenceKind.Reboot ? $"Its BMC then powers it on and it rejoins the cluster." : $"It stays off until someone powers it on.");

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) =>
        ["stonith_admin", Action == FenceKind.Reboot ? "--reboot" : "--off", Node, "--timeout", TimeoutSeconds.ToString(CultureInfo.InvariantCulture)];

    public override OperationCheck? Precheck => new(["stonith_admin", "--list", Node, "--output-as=xml"], result =>
        FencerDeviceList.Read(result) is { Count: 0 }
            ? new("node", $"no fence device can fence {Node}: configure one for it (the cluster's fencing) before fencing it by hand")
            : null);

    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state)
    {
        if (KnownNode(state, Node) is { } unknown) return [("node", unknown)];
        return state.Nodes.Any(n => n.Name != Node && n.Online)
            ? []
            : [("node", $"{Node} is the only node left online: there is no other node to fence it from, and fencing it would stop every service")];
    }
}

/// <summary>
/// Tells the cluster that a node it could not fence is off (<c>stonith_admin --confirm</c>): Pacemaker then takes it as
/// fenced and starts its resources elsewhere. Only for a node that is not online.
/// </summary>
public sealed record AcknowledgeNodeOff(string Node, string? Confirmation) : NodeFencingOperation(Node, Confirmation)
{
    public override string Kind => "node-acknowledge-off";
    public override string Summary => $"Acknowledge that {Node} is off";
    public override string Consequence =>
        $"The cluster takes {Node} as fenced and starts its virtual IPs and services on the other nodes. Do this only when you know " +
        $"{Node} has no power (you switched it off, or pulled its cable): if it is still running, two nodes serve the same virtual IPs " +
        "and write the same files at once, which corrupts them.";

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => ["stonith_admin", "--confirm", Node];

    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state)
    {
        if (state.Node(Node) is not { } node) return [("node", KnownNode(state, Node))];
        return node.Online
            ? [("node", $"{Node} is online, a running member of the cluster: it is not off, so it cannot be acknowledged as off")]
            : [];
    }
}

/// <summary>A question asked before an operation on the node that will run it; <see cref="Refusal"/> reads its answer.</summary>
/// <param name="Refusal">Why the operation may not run, from the answer (stdout and exit code); null when it may.</param>
public sealed record OperationCheck(IReadOnlyList<string> Argv, Func<OperationCheckResult, ValidationError?> Refusal);

/// <summary>What the check's command printed and how it exited.</summary>
public sealed record OperationCheckResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Reads <c>stonith_admin --list NODE --output-as=xml</c>: the fence devices that can fence the node.</summary>
public static class FencerDeviceList
{
    /// <summary>The devices' names, or throws <see cref="FormatException"/> saying what the answer was instead.</summary>
    public static IReadOnlyList<string> Read(OperationCheckResult result)
    {
        try
        {
            var list = XDocument.Parse(result.StdOut).Root?.Element("list");
            if (result.ExitCode == 0 && list is not null)
                return [.. list.Elements("item").Select(item => item.Value.Trim()).Where(name => name.Length > 0)];
        }
        catch (XmlException) { /* said below */ }
        var said = (result.StdErr.Trim() is { Length: > 0 } err ? err : result.StdOut.Trim()).Split('\n')[0];
        throw new FormatException($"stonith_admin --list exited {result.ExitCode} without a list of fence devices ({(said.Length > 0 ? said : "no output")})");
    }
}
