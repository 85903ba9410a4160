using StorageHa.Server.Provisioning;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// A plan's first apply to unformed lab nodes, as the console makes it: where the simulation said (offline, before anything
/// ran) every resource would run, the job with how long it took, and where crm_mon found the resources afterwards
/// (with its text, failed actions included, to say why when a resource is elsewhere).
/// </summary>
public sealed record FirstApply(ResourcePlacement Predicted, ProvisioningJob Job, TimeSpan Took, ResourcePlacement Running, string RunningText)
{
    public static async Task<FirstApply> RunAsync(ApplyLab apply, Plan plan, IReadOnlyDictionary<string, string> secrets)
    {
        if (plan.Blockers.Count > 0) throw new InvalidOperationException($"The lab spec is blocked: {string.Join("; ", plan.Blockers)}");
        var predicted = (await Simulator.RunAsync((await OfflineCib.ApplyAsync(plan, runChecks: false)).CibXml,
            apply.Lab.Nodes.Select(n => n.Name).ToArray(), maxFailures: 0)).AllUp;
        var (job, took) = await apply.ApplyAsync(plan, secrets);
        var running = ResourcePlacement.From(CrmMonParser.Parse(await apply.RunAsync("node1", "crm_mon", "-1", "--output-as=xml")));
        return new(predicted, job, took, running, await apply.RunAsync("node1", "crm_mon", "-1", "--include=failures"));
    }
}
