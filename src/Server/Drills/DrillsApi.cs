using System.Text;
using StorageHa.Server.Api;
using StorageHa.Server.Auth;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Serving;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Drills;

/// <summary>The failover drills, composed (the runner, its store, the real cluster behind it) and as an API: operators start, viewers read.</summary>
public static class DrillsApi
{
    /// <summary>A drill of one VIP (its address) or one node (its name): {"vip":"192.0.2.101"} or {"node":"node2"}.</summary>
    public sealed record DrillRequest
    {
        public string? Vip { get; init; }
        public string? Node { get; init; }
    }

    /// <summary>Whether a drill may run now, and every reason it may not.</summary>
    public sealed record ReadinessView(bool Ready, IReadOnlyList<DrillObstacle> Reasons);

    public static IServiceCollection AddDrills(this IServiceCollection services)
    {
        services.AddSingleton(s => new DrillOptions
        {
            ProbeDelay = s.GetRequiredService<ServiceProbeOptions>() is var probes ? probes.Timeout + probes.Interval : TimeSpan.FromSeconds(1.25),
        });
        services.AddSingleton<DrillStore>();
        services.AddSingleton<IDrillCluster, ConsoleDrillCluster>();
        services.AddSingleton<DrillRunner>();
        services.AddScoped<IDrills, ConsoleDrills>();
        services.AddSingleton<InterruptedDrills>();
        services.AddHostedService(s => s.GetRequiredService<InterruptedDrills>());
        return services;
    }

    public static void MapDrillsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}/drills").RequireAuthorization().WithTags("StorageHa");

        api.MapPost("", async (long id, DrillRequest request, HttpContext http, DrillRunner runner, CancellationToken ct) =>
        {
            var target = DrillTarget.From(request.Vip, request.Node);
            try
            {
                var started = await runner.StartAsync(id, target, http.User, ct);
                return Results.Accepted($"/api/clusters/{id}/drills/{started.Id}", started);
            }
            catch (DrillRefusedException e)
            {
                return Refused(e.Report);
            }
        }).RequireAuthorization(Roles.Operator)
            .WithSummary("Start a failover drill of a VIP ({\"vip\":\"192.0.2.101\"}) or a node ({\"node\":\"node2\"}): 202 with the drill")
            .WithDescription("A VIP is moved to another online node, moved back and its move cleared; a node is put in standby and taken out. " +
                "The console probes SMB and NFS through every VIP throughout and reports the clients' outage per VIP and service. " +
                "Refused (409, with every reason) unless the cluster is healthy: every node online, quorum, no failed action, every VIP served.")
            .Produces<DrillReport>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict)
            .Example(request: """{"vip":"192.0.2.101"}""");

        api.MapGet("", async (long id, int? take, IDrills drills, DrillRunner runner, CancellationToken ct) =>
        {
            runner.Readiness(id); // 404 for a cluster the console does not watch
            return await drills.ListAsync(id, take ?? 100, ct);
        }).WithSummary("The cluster's drills, newest first (?take=): each with its outcome and per VIP and service the clients' outage");

        api.MapGet("/readiness", (long id, string? vip, string? node, DrillRunner runner) =>
        {
            var target = vip is null && node is null ? null : DrillTarget.From(vip, node);
            var reasons = runner.Readiness(id, target);
            return new ReadinessView(reasons.Count == 0, reasons);
        }).WithSummary("Whether a drill may run now (optionally of ?vip= or ?node=), and every reason it may not");

        api.MapGet("/{drillId:long}", async (long id, long drillId, DrillStore store, DrillRunner runner, CancellationToken ct) =>
            await Find(id, drillId, store, runner, ct))
            .WithSummary("One drill's report: live while it runs (the stage it reached), complete once it ended");

        api.MapGet("/{drillId:long}/export", async (long id, long drillId, string? format, DrillStore store, DrillRunner runner, CancellationToken ct) =>
        {
            var as_ = format?.Trim().ToLowerInvariant() switch
            {
                "csv" => "csv",
                null or "" or "json" => "json",
                _ => throw new InvalidInputException("format", $"'{format}' is not an export format: csv or json"),
            };
            var report = await Find(id, drillId, store, runner, ct);
            var text = as_ == "csv" ? DrillExport.ToCsv(report) : DrillExport.ToJson(report);
            return Results.File(Encoding.UTF8.GetBytes(text), as_ == "csv" ? "text/csv; charset=utf-8" : "application/json", DrillExport.FileName(report, as_));
        }).WithSummary("A drill's report as a download: ?format=csv (one row per VIP, phase and service) or json (the whole report)");
    }

    private static async Task<DrillReport> Find(long id, long drillId, DrillStore store, DrillRunner runner, CancellationToken ct)
    {
        var stored = await store.GetAsync(id, drillId, ct) ?? throw new KeyNotFoundException($"The cluster with id {id} has no drill {drillId}.");
        return runner.AsItStands(id, stored);
    }

    /// <summary>409 whose problem lists every reason, as "reasons" and under errors.readiness (the API's problem shape).</summary>
    private static IResult Refused(DrillReport refused) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: $"The drill of {refused.Target.Display} was refused: the cluster is not ready.",
        extensions: new Dictionary<string, object?>
        {
            ["drillId"] = refused.Id,
            ["reasons"] = refused.Refusals.Select(r => new { kind = r.Kind.ToString(), reason = r.Reason }).ToArray(),
            ["errors"] = new Dictionary<string, string[]> { ["readiness"] = [.. refused.Refusals.Select(r => r.Reason)] },
        });
}
