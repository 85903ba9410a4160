using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>
/// Operations on a running cluster as POSTs, for operators and scripts: each answers with where it ran once the node
/// has run it; the change itself shows in GET state and in the live stream.
/// </summary>
public static class OperationsApi
{
    public sealed record MoveRequest(string? Node);
    public sealed record CleanupRequest(string? Node);
    public sealed record SimulateFailureRequest(IReadOnlyList<string>? Fail);
    public sealed record FenceRequest(string? Action, string? Confirm);
    public sealed record AcknowledgeOffRequest(string? Confirm);

    // The ids the plan gives its resources, from the one place that names them.
    private static readonly string ResourceIdHelp =
        $"{{rsc}} is a Pacemaker resource id as the plan names them: {ResourceIds.Vip("192.0.2.101")} for a virtual IP (IPv6 with '-' for ':', {ResourceIds.Vip("fd00::101")}), " +
        $"{ResourceIds.Tickle("192.0.2.101")} for its tickle agent, {ResourceIds.CtdbClone}, {ResourceIds.SambaClone(netBios: false)} ({ResourceIds.SambaClone(netBios: true)} with NetBIOS), " +
        $"{ResourceIds.GaneshaClone}, {ResourceIds.FenceDevice("<device>")}. GET /api/clusters/{{id}}/state lists them.";

    // reboot when not said, as stonith_admin and pcs stonith fence do.
    private static FenceKind FenceAction(string? action) => action?.Trim().ToLowerInvariant() switch
    {
        null or "" or "reboot" => FenceKind.Reboot,
        "off" => FenceKind.Off,
        _ => throw new InvalidInputException([new ValidationError("action", $"'{action}' is not a fence action: reboot or off")]),
    };

    public static void MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}").RequireAuthorization(Roles.Operator).WithTags("StorageHa");

        api.MapPost("/nodes/{node}/standby", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeStandby(node, On: true), ct))
            .WithSummary("Put a node in standby: its resources move away ({node} is its name)");
        api.MapPost("/nodes/{node}/unstandby", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeStandby(node, On: false), ct))
            .WithSummary("Bring a node back from standby");
        api.MapPost("/nodes/{node}/maintenance", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeMaintenance(node, On: true), ct))
            .WithSummary("Put a node in maintenance: Pacemaker stops managing its resources");
        api.MapPost("/nodes/{node}/unmaintenance", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeMaintenance(node, On: false), ct))
            .WithSummary("End a node's maintenance");
        api.MapPost("/nodes/{node}/fence", (long id, string node, FenceRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new FenceNode(node, FenceAction(request.Action), request.Confirm), ct))
            .WithSummary("Fence a node by hand: {\"action\":\"reboot\"|\"off\",\"confirm\":\"<the node's name>\"}")
            .WithDescription("Runs stonith_admin on another online node: the node's fence device powers it off (and on again for reboot). " +
                "Refused when no fence device can fence the node or no other node is online. Answers once the fence is done.");
        api.MapPost("/nodes/{node}/acknowledge-off", (long id, string node, AcknowledgeOffRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new AcknowledgeNodeOff(node, request.Confirm), ct))
            .WithSummary("Acknowledge that a node the cluster could not fence is off: {\"confirm\":\"<the node's name>\"}")
            .WithDescription("stonith_admin --confirm: the cluster takes the node as fenced and starts its resources elsewhere. " +
                "If the node is in fact still running, two nodes serve the same virtual IPs and write the same files.");
        api.MapPost("/maintenance", (long id, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetClusterMaintenance(On: true), ct))
            .WithSummary("Put the whole cluster in maintenance");
        api.MapPost("/unmaintenance", (long id, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetClusterMaintenance(On: false), ct))
            .WithSummary("End the cluster's maintenance");
        api.MapPost("/resources/{rsc}/move", (long id, string rsc, MoveRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new MoveResource(rsc, request.Node ?? ""), ct))
            .WithSummary("Move a resource (e.g. vip-192.0.2.101) to a node: {\"node\":\"node2\"}")
            .WithDescription(ResourceIdHelp);
        api.MapPost("/resources/{rsc}/clear", (long id, string rsc, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new ClearMove(rsc), ct))
            .WithSummary("Clear a move: the resource may go back where placement wants it")
            .WithDescription(ResourceIdHelp);
        api.MapPost("/resources/{rsc}/cleanup", (long id, string rsc, CleanupRequest? request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new CleanupResource(rsc, request?.Node), ct))
            .WithSummary("Clean up a resource's failures, optionally on one node: {\"node\":\"node1\"}")
            .WithDescription(ResourceIdHelp);
        api.MapPost("/simulate-failure", (long id, SimulateFailureRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.SimulateFailureAsync(id, new SimulatedFailure(request.Fail ?? []), ct))
            .WithSummary("What if these nodes failed: where every VIP would go (crm_simulate), nothing changes");
    }
}
