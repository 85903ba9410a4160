using StorageHa.Server.Auth;
using StorageHa.Shared.Console;
using StorageHa.Shared.Fencing;

namespace StorageHa.Server.Api;

/// <summary>
/// /api/clusters/{id}/fencing: the fence devices' password (write-only) and their Test (docs/fencing.md). The devices
/// themselves are settings (fencing.devices of /api/clusters/{id}/settings).
/// </summary>
public static class FencingApi
{
    public sealed record NewPassword(string Password);
    public sealed record TestRequest(IReadOnlyList<string>? Devices = null);
    public sealed record TestResults(IReadOnlyList<FenceTestResult> Results);

    private const string Result = """{"device":"ipmi-node1","fromNode":"node2","ok":true,"message":"Status: ON","seconds":0.9,"testedAt":"2026-12-06T20:30:00+00:00","current":true}""";

    public static void MapFencingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}/fencing").RequireAuthorization().WithTags("Fencing");

        api.MapGet("", (long id, IFencing fencing, CancellationToken ct) => fencing.GetAsync(id, ct))
            .WithSummary("The fence devices with whether each has a password (never the password) and their last Test")
            .WithDescription("verdict: Passed (every node that would fence with it passed, as the device now is), Failed, Untested or NoPassword. " +
                "proven: devices exist and all passed; the plan refuses a device that has not.")
            .Example(response: $$"""{"devices":[{"name":"ipmi-node1","agent":"fence_ipmilan","nodes":["node1"],"passwordSet":true,"verdict":"Passed","tests":[{{Result}}]}],"proven":true}""");

        api.MapPut("/devices/{name}/password", async (long id, string name, HttpRequest req, IFencing fencing, CancellationToken ct) =>
        {
            await fencing.SetPasswordAsync(id, name, (await ApiJson.ReadAsync<NewPassword>(req)).Password, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator).Accepts<NewPassword>("application/json").Produces(StatusCodes.Status204NoContent)
            .WithSummary("Set a fence device's password (kept encrypted; never returned, logged or audited)")
            .WithDescription("The device must be in the cluster's settings. Its Test results are forgotten: test it again.")
            .Example("""{"password":"…"}""", status: StatusCodes.Status204NoContent);

        api.MapDelete("/devices/{name}/password", async (long id, string name, IFencing fencing, CancellationToken ct) =>
        {
            await fencing.RemovePasswordAsync(id, name, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator).Produces(StatusCodes.Status204NoContent)
            .WithSummary("Remove a fence device's password");

        api.MapPost("/test", async (long id, HttpRequest req, IFencing fencing, CancellationToken ct) =>
        {
            // No body (or not JSON): every device. A JSON body may come chunked, without a Content-Length.
            var request = req.HasJsonContentType() && req.ContentLength != 0 ? await ApiJson.ReadAsync<TestRequest>(req) : new TestRequest();
            return new TestResults(await fencing.TestAsync(id, request.Devices, ct));
        }).RequireAuthorization(Roles.Operator).Accepts<TestRequest>("application/json").Produces<TestResults>()
            .WithSummary("Test fence devices: the agent's status (never off or reboot) from every node that would fence with each")
            .WithDescription("Synchronous, at most about 60 s. Every device when devices is left out. The results are kept; the plan goes by them.")
            .Example("""{"devices":["ipmi-node1"]}""", $$"""{"results":[{{Result}}]}""");
    }
}
