using StorageHa.Client.Services;
using StorageHa.Server.Auth;
using StorageHa.Shared.Operations;

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

    public static void MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}").RequireAuthorization(Roles.Operator).WithTags("StorageHa");

        api.MapPost("/nodes/{node}/standby", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeStandby(node, On: true), ct));
        api.MapPost("/nodes/{node}/unstandby", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeStandby(node, On: false), ct));
        api.MapPost("/nodes/{node}/maintenance", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeMaintenance(node, On: true), ct));
        api.MapPost("/nodes/{node}/unmaintenance", (long id, string node, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetNodeMaintenance(node, On: false), ct));
        api.MapPost("/maintenance", (long id, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetClusterMaintenance(On: true), ct));
        api.MapPost("/unmaintenance", (long id, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new SetClusterMaintenance(On: false), ct));
        api.MapPost("/resources/{rsc}/move", (long id, string rsc, MoveRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new MoveResource(rsc, request.Node ?? ""), ct));
        api.MapPost("/resources/{rsc}/clear", (long id, string rsc, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new ClearMove(rsc), ct));
        api.MapPost("/resources/{rsc}/cleanup", (long id, string rsc, CleanupRequest? request, IClusterOperations ops, CancellationToken ct) =>
            ops.RunAsync(id, new CleanupResource(rsc, request?.Node), ct));
        api.MapPost("/simulate-failure", (long id, SimulateFailureRequest request, IClusterOperations ops, CancellationToken ct) =>
            ops.SimulateFailureAsync(id, new SimulatedFailure(request.Fail ?? []), ct));
    }
}
