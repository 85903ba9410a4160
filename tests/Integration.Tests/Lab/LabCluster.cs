using System.Diagnostics;
using StorageHa.Shared.Commands;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>What the lab tests do to the lab's cluster: commands over SSH, its state as each node sees it, waiting for it.</summary>
internal sealed class LabCluster(LabFixture fixture)
{
    public LabDescription Description => fixture.Description;
    public LabCommand Lab => fixture.Lab;

    public Task<string> RunAsync(string node, params string[] argv) => Lab.SshAsync(node, ShellCommand.Join(argv));

    public async Task<CrmMonView> ViewFromAsync(string node) =>
        CrmMonView.Parse(await RunAsync(node, "crm_mon", "-1", "--output-as=xml"));

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> when the time is up.</summary>
    public static async Task<TimeSpan> WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition()) return clock.Elapsed;
            }
            catch (InvalidOperationException e)
            {
                last = e; // a node that is restarting refuses SSH for a moment
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds} s{(last is null ? "" : $"; last error: {last.Message}")}");
    }

    /// <summary>Deletes a resource and waits until the cluster is idle again, so the next test finds a clean cluster.</summary>
    public async Task DeleteAsync(string resource)
    {
        await RunAsync("node1", "pcs", "resource", "delete", resource, "--force");
        await RunAsync("node1", "crm_resource", "--wait", "--timeout=120s");
    }
}
