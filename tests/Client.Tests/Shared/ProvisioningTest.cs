using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// A three-node SMB+NFS cluster "lab" (node1–3 on 192.0.2.11–13, VIPs .101 and .102, one share and one export, shared
/// state set, no fencing acknowledged) whose plan is the one the real plan builder makes of it.
/// </summary>
public abstract class ProvisioningTest : ConsoleTest
{
    protected const long Lab = 1;
    protected const string Vip1 = "vip-192.0.2.101";
    protected const string Vip2 = "vip-192.0.2.102";

    protected ProvisioningTest()
    {
        Inventory.Clusters.Add(new Cluster { Id = Lab, Name = "lab", Purpose = ClusterPurpose.Both });
        for (var i = 1; i <= 3; i++)
            Inventory.Nodes.Add(new Node { Id = 10 + i, ClusterId = Lab, Name = $"node{i}", Address = $"192.0.2.1{i}", Number = i });
        Inventory.VirtualIps.Add(new VirtualIp { Id = 21, ClusterId = Lab, Address = "192.0.2.101" });
        Inventory.VirtualIps.Add(new VirtualIp { Id = 22, ClusterId = Lab, Address = "192.0.2.102" });
        Inventory.Shares.Add(new Share { Id = 31, ClusterId = Lab, Name = "data", Path = "/srv/data" });
        Inventory.Exports.Add(new Export { Id = 41, ClusterId = Lab, Path = "/srv/data", Clients = "192.0.2.0/24" });
        Inventory.Settings[Lab] = new ClusterSettings
        {
            SharedState = new SharedStateSpec { RecoveryLock = "/srv/state/ctdb/reclock", GaneshaState = "/srv/state/ganesha" },
            Fencing = new FencingSpec { NoFencingAcknowledged = true },
        };
    }

    protected string CurrentUri => Ctx.Services.GetRequiredService<NavigationManager>().Uri;

    /// <summary>The plan the page shows, as the plan builder makes it.</summary>
    protected Plan LabPlan() => Provisioning.PlanFor(Lab);

    /// <summary>A MudBlazor input on a page (not in a dialog), found by its label.</summary>
    protected static IRenderedComponent<TField> FieldOn<TField, TPage>(IRenderedComponent<TPage> page, string label, int index = 0)
        where TField : MudComponentBase where TPage : class, IComponent
        => page.FindComponents<TField>().Where(f => f.Instance.GetType().GetProperty("Label")?.GetValue(f.Instance) as string == label).ElementAt(index);

    /// <summary>Types into a text field on the page; retried because MudBlazor may re-render it between finding and typing.</summary>
    protected static void TypeOn<TPage>(IRenderedComponent<TPage> page, string label, string value, int index = 0) where TPage : class, IComponent
        => page.WaitForAssertion(() => FieldOn<MudTextField<string>, TPage>(page, label, index).Find("input,textarea").Change(value), Patience);
}
