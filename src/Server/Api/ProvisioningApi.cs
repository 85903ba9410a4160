using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Api;

/// <summary>Plan, simulate and apply a cluster, and follow the jobs: the same door the pages use.</summary>
public static class ProvisioningApi
{
    /// <summary>What a simulation may ask: only these nodes failing (every single and double failure when absent).</summary>
    public sealed record SimulateRequest(IReadOnlyList<string>? Fail);

    /// <summary>The plan with its script, the exact commands an admin could run by hand.</summary>
    public sealed record PlanView(Plan Plan, string Script);

    /// <summary>A job started in the background: 202 with where to follow it.</summary>
    private static async Task<IResult> Started(Task<ProvisioningJob> starting)
    {
        var job = await starting;
        return Results.Accepted($"/api/jobs/{job.Id}", job);
    }

    /// <summary>What an apply or a teardown may be given: the domain administrator to join or leave the Active Directory domain with (admins only; used once, never kept).</summary>
    public sealed record DomainRequest(DomainAdministrator? DomainAdministrator);

    // A body sent chunked has no Content-Length: any body counts, an empty POST gives none.
    private static async Task<DomainAdministrator?> DomainOf(HttpRequest req) =>
        req.ContentLength is > 0 || req.ContentLength is null && req.Headers.TransferEncoding.Count > 0
            ? (await ApiJson.ReadAsync<DomainRequest>(req)).DomainAdministrator : null;

    /// <summary>Keep the cluster's version of a drifted virtual IP: the CIB resource it is, and its settings as the drift report gives them.</summary>
    public sealed record ImportRequest(string Resource, VirtualIpSpec VirtualIp);

    /// <summary>A lifecycle change: POST starts it as a job, POST …/preview answers its plan and simulation and changes nothing.</summary>
    private static void MapLifecycle(RouteGroupBuilder api, string route, string what, Func<long?, LifecycleChange> change)
    {
        static long? NodeOf(HttpRequest req) => req.RouteValues.TryGetValue("nodeId", out var v) && long.TryParse(v?.ToString(), out var n) ? n : null;
        api.MapPost(route, async (long id, HttpRequest req, IProvisioning provisioning, CancellationToken ct) =>
            await Started(provisioning.StartAsync(id, change(NodeOf(req)) with { Domain = await DomainOf(req) }, ct))).RequireAuthorization(Roles.Operator)
            .Accepts<DomainRequest>("application/json")
            .WithSummary($"{what}: start it as a job (202 with the job)");
        api.MapPost(route + "/preview", (long id, HttpRequest req, IProvisioning provisioning, CancellationToken ct) =>
            provisioning.PreviewAsync(id, change(NodeOf(req)), ct)).RequireAuthorization(Roles.Operator)
            .WithSummary($"{what}: its plan and simulation, nothing started");
    }

    private const string ServeExample = """
        {"checkedAt":"2026-12-05T21:00:00+00:00","served":false,
         "summary":"Not served: node2: share public: smbd could not load vfs module fileid (install samba-vfs-modules)",
         "results":[{"node":"node1","subject":"Share","name":"public","served":true,"cause":null},
                    {"node":"node2","subject":"Share","name":"public","served":false,"cause":"smbd could not load vfs module fileid (install samba-vfs-modules)"}],
         "failures":[{"node":"node2","subject":"Share","name":"public","served":false,"cause":"smbd could not load vfs module fileid (install samba-vfs-modules)"}]}
        """;

    public static void MapProvisioningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("StorageHa");
        api.MapPost("/clusters/{id:long}/plan", async (long id, IProvisioning provisioning, CancellationToken ct) =>
        {
            var plan = await provisioning.PlanAsync(id, ct);
            return new PlanView(plan, PlanText.Render(plan));
        })
            .WithSummary("The plan for the cluster: every step with its exact command, warnings, blockers, and the whole as a script");
        api.MapPost("/clusters/{id:long}/simulate", async (long id, HttpRequest req, IProvisioning provisioning, CancellationToken ct) =>
        {
            var request = req.ContentLength is > 0 ? await ApiJson.ReadAsync<SimulateRequest>(req) : new SimulateRequest(null);
            return await provisioning.SimulateAsync(id, request.Fail, ct);
        }).RequireAuthorization(Roles.Operator).Accepts<SimulateRequest>("application/json")
            .WithSummary("Simulate the plan with crm_simulate on a shadow of the live CIB; optionally {\"fail\":[\"node2\"]}");
        api.MapPost("/clusters/{id:long}/apply", async (long id, HttpRequest req, IProvisioning provisioning, CancellationToken ct) =>
            await Started(provisioning.ApplyAsync(id, await DomainOf(req), ct)))
            .RequireAuthorization(Roles.Operator).Accepts<DomainRequest>("application/json")
            .WithSummary("Apply the plan as a background job: 202 with the job (400 while the plan has blockers)")
            .WithDescription("A cluster joining Active Directory needs {\"domainAdministrator\":{\"user\":\"Administrator\",\"password\":\"…\"}} once (admins only): " +
                "it goes to the node on standard input and is never stored, logged or shown back. Later applies find the cluster joined and need none.");
        api.MapGet("/clusters/{id:long}/drift", (long id, IProvisioning provisioning, CancellationToken ct) => provisioning.DriftAsync(id, ct))
            .RequireAuthorization(Roles.Operator)
            .WithSummary("What differs between the live CIB and the spec, in words");
        api.MapPost("/clusters/{id:long}/drift/import", async (long id, HttpRequest req, IProvisioning provisioning, CancellationToken ct) =>
        {
            var request = await ApiJson.ReadAsync<ImportRequest>(req);
            return await provisioning.ImportVirtualIpAsync(id, request.Resource, request.VirtualIp, ct);
        }).RequireAuthorization(Roles.Operator).Accepts<ImportRequest>("application/json")
            .WithSummary("Keep the cluster's version of a drifted VIP in the inventory");
        MapLifecycle(api, "/clusters/{id:long}/nodes/{nodeId:long}/join", "Join the node to the running cluster", nodeId => LifecycleChange.Join(nodeId!.Value));
        MapLifecycle(api, "/clusters/{id:long}/nodes/{nodeId:long}/remove", "Remove the node from the cluster (the node added last; its VIPs move away first)", nodeId => LifecycleChange.Remove(nodeId!.Value));
        MapLifecycle(api, "/clusters/{id:long}/teardown", "Tear the cluster down (everything the console created; shares' data stays)", _ => LifecycleChange.Teardown);
        api.MapGet("/clusters/{id:long}/serve-check", async (long id, IServeChecks checks, CancellationToken ct) =>
            await checks.LastAsync(id, ct) is { } last ? Results.Ok(last) : Results.NoContent())
            .Produces<ServeReport>().Produces(StatusCodes.Status204NoContent)
            .WithSummary("The cluster's latest serve check (from an apply, a join or on demand); 204 when none ran yet")
            .Example(response: ServeExample);
        api.MapPost("/clusters/{id:long}/serve-check", (long id, IServeChecks checks, CancellationToken ct) => checks.RunAsync(id, ct))
            .RequireAuthorization(Roles.Operator)
            .WithSummary("Check now, on every node, that each share answers an SMB tree connect, Ganesha lists each export and each VIP answers on its ports")
            .WithDescription("Never the CIB: smbd, Ganesha and the VIPs themselves are asked (docs/serving.md). The result is kept as the cluster's latest.")
            .Produces<ServeReport>().Example(response: ServeExample);
        api.MapGet("/clusters/{id:long}/jobs", (long id, IProvisioning provisioning, CancellationToken ct) => provisioning.ListJobsAsync(id, ct))
            .WithSummary("The cluster's provisioning jobs");
        api.MapGet("/jobs/{jobId:long}", async (long jobId, IProvisioning provisioning, CancellationToken ct) =>
            await provisioning.GetJobAsync(jobId, ct) ?? throw new KeyNotFoundException($"There is no job with id {jobId}."))
            .WithSummary("One job with its steps and their output");
        api.MapPost("/jobs/{jobId:long}/cancel", async (long jobId, IProvisioning provisioning, CancellationToken ct) =>
        {
            await provisioning.CancelJobAsync(jobId, ct);
            return Results.Accepted($"/api/jobs/{jobId}");
        }).RequireAuthorization(Roles.Operator)
            .WithSummary("Stop a running job after its current step");
    }
}
