using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Provisioning;

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

    // The ids the plan gives its resources, from the one place that names them.
    private static readonly string ResourceIdHelp =
        $"{{rsc}} is a Pacemaker resource id as the plan names them: {ResourceIds.Vip("192.0.2.101")} for a virtual IP (IPv6 with '-' for ':', {ResourceIds.Vip("fd00::101")}), " +
        $"{ResourceIds.Tickle("192.0.2.101")} for its tickle agent, {ResourceIds.CtdbClone}, {ResourceIds.SambaClone(netBios: false)} ({ResourceIds.SambaClone(netBios: true)} with NetBIOS), " +
        $"{ResourceIds.GaneshaClone}, {ResourceIds.FenceDevice("<device>")}. GET /api/clusters/{{id}}/state lists them.";

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
