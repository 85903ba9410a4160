using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// The live dashboard and each kind of event a change brings: every one is listed in the page's events, and only a VIP that
/// moved or started on a node makes its chip arrive there.
/// </summary>
public sealed class DashboardEventTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Vip = "ocf:heartbeat:IPaddr2";
    private readonly ChannelClusterStream _stream = new();

    public DashboardEventTests() => Ctx.Services.AddSingleton<IClusterStateStream>(_stream);

    /// <summary>One event of each kind, and whether it brings vip1 to node2.</summary>
    public static TheoryData<ClusterEvent, bool> EachKind => new()
    {
        { new NodeLeft(T0, "node1"), false },
        { new NodeJoined(T0, "node1"), false },
        { new NodeStandby(T0, "node1"), false },
        { new NodeUnstandby(T0, "node1"), false },
        { new QuorumLost(T0), false },
        { new QuorumRegained(T0), false },
        { new DcChanged(T0, "node2", "node3"), false },
        { new FencingEvent(T0, new FenceAction { Target = "node1", Action = "reboot", Status = FenceStatus.Success }), false },
        { new ResourceMoved(T0, "vip1", Vip, "node1", "node2"), true },
        { new ResourceStarted(T0, "vip1", Vip, "node2"), true },
        { new ResourceStarted(T0, "smbd", "lsb:smbd", "node2"), false }, // not a VIP
        { new ResourceStopped(T0, "vip1", Vip, "node1"), false },
        { new ResourceRoleChanged(T0, "vip1", Vip, "node2", ResourceRole.Unpromoted, ResourceRole.Promoted), false },
        { new ResourceFailed(T0, "vip1", Vip, "node2", new ResourceFailure { OperationKey = "vip1_monitor_10000", Resource = "vip1", Node = "node2" }), false },
        { new MonitorMoved(T0, "node3", "node2: did not answer within 1.2 s"), false },
        { new MonitorUnreachable(T0, "lab", "node1: refused"), false },
        { new StorageHealthChanged(T0, "/srv/data", StorageHealthLevel.Healthy, StorageHealthLevel.Warning, "volume vol: 1 of 3 bricks offline"), false },
        { new StorageMountLost(T0, "node2", "/srv/data", "not mounted (nothing is mounted at /srv/data)"), false },
        { new StorageMountBack(T0, "node2", "/srv/data"), false },
        { new BrickOffline(T0, "vol", "node3:/srv/brick/vol", "its brick process does not run"), false },
        { new BrickOnline(T0, "vol", "node3:/srv/brick/vol"), false },
        { new HealDone(T0, "vol"), false },
        { new ClientsLeftNode(T0, "node1", ClientProtocol.Smb, 1, "alice from 192.0.2.50", "it does not answer"), false },
        { new ClientsArrivedOnNode(T0, "node2", ClientProtocol.Nfs, 1, "192.0.2.60"), false },
    };

    [Theory]
    [MemberData(nameof(EachKind))]
    public void AnEventInAChange_IsListed_AndOnlyAVipMovedOrStartedArrivesOnItsNode(ClusterEvent e, bool bringsVip)
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-node=node1] [data-vip=vip1]")), Patience);

        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: "node2"), e));

        page.WaitForAssertion(() => Assert.Contains(e.Description, page.Find(".events").TextContent), Patience);
        Assert.Equal(bringsVip, page.Find("[data-node=node2] [data-vip=vip1]").ClassName!.Contains("vip-arrived"));
    }

    [Fact]
    public void EveryKindOfEvent_HasItsCaseAbove()
    {
        var kinds = typeof(ClusterEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ClusterEvent)) && !t.IsAbstract);
        var covered = EachKind.Select(row => row[0].GetType()).ToHashSet();
        Assert.Empty(kinds.Where(k => !covered.Contains(k)).Select(k => k.Name));
    }
}
