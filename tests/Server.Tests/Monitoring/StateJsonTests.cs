using System.Text.Json;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Console;
using StorageHa.Shared.Clients;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Tests.Monitoring;

/// <summary>
/// A change as the hub and the API write it: each event is its own kind, named by "kind" as the stored history names it,
/// with its own fields and its text, and reads back as the same typed event.
/// </summary>
public sealed class StateJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Vip = "ocf:heartbeat:IPaddr2";

    private static readonly ClusterEvent[] EachKind =
    [
        new NodeLeft(T0, "node1"),
        new NodeJoined(T0, "node1"),
        new NodeStandby(T0, "node1"),
        new NodeUnstandby(T0, "node1"),
        new QuorumLost(T0),
        new QuorumRegained(T0),
        new DcChanged(T0, null, "node3"),
        new FencingEvent(T0, new FenceAction { Target = "node1", Action = "reboot", Status = FenceStatus.Success, Delegate = "node2" }),
        new ResourceMoved(T0, "vip1", Vip, "node1", "node2"),
        new ResourceStarted(T0, "vip1", Vip, "node2"),
        new ResourceStopped(T0, "smbd", "lsb:smbd", "node1"),
        new ResourceRoleChanged(T0, "ms1", "ocf:pacemaker:Stateful", "node2", ResourceRole.Unpromoted, ResourceRole.Promoted),
        new ResourceFailed(T0, "vip1", Vip, "node2", new ResourceFailure { OperationKey = "vip1_monitor_10000", Resource = "vip1", Node = "node2", ExitStatus = "error" }),
        new MonitorMoved(T0, "node3", "node2: did not answer within 1.2 s"),
        new MonitorUnreachable(T0, "lab", "node1: refused"),
        new StorageHealthChanged(T0, "/srv/data", StorageHealthLevel.Healthy, StorageHealthLevel.Warning, "volume vol: 1 of 3 bricks offline"),
        new StorageMountLost(T0, "node2", "/srv/data", "not mounted (nothing is mounted at /srv/data)"),
        new StorageMountBack(T0, "node2", "/srv/data"),
        new BrickOffline(T0, "vol", "node3:/srv/brick/vol", "its brick process does not run"),
        new BrickOnline(T0, "vol", "node3:/srv/brick/vol"),
        new HealDone(T0, "vol"),
        new ClientsLeftNode(T0, "node1", ClientProtocol.Smb, 2, "alice from 192.0.2.50, bob from 192.0.2.51", "it does not answer"),
        new ClientsArrivedOnNode(T0, "node2", ClientProtocol.Nfs, 1, "192.0.2.60"),
    ];

    private static ClusterChange Change(params ClusterEvent[] events) =>
        new(1, 7, new MonitorStatus(MonitorHealth.Watching, "node3", "watching from node3", T0), null, events, null, null);

    [Fact]
    public void EachEvent_CarriesItsKind_TheNameTheHistoryStoresForIt_AndItsDescription()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(Change(EachKind), StateJson.Options)).RootElement.GetProperty("events");

        Assert.Equal(EachKind.Select(e => ClusterEventRecord.From(e).Kind), json.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(EachKind.Select(e => e.Description), json.EnumerateArray().Select(e => e.GetProperty("description").GetString()));
        Assert.All(json.EnumerateArray(), e => Assert.Equal(T0, e.GetProperty("at").GetDateTimeOffset()));
    }

    [Fact]
    public void AnEventsOwnFields_AreWrittenBesideItsKind()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(Change(EachKind[8], EachKind[13]), StateJson.Options)).RootElement.GetProperty("events");

        var moved = json[0];
        Assert.Equal(("ResourceMoved", "vip1", "node1", "node2", true),
            (moved.GetProperty("kind").GetString(), moved.GetProperty("resource").GetString(), moved.GetProperty("from").GetString(),
             moved.GetProperty("to").GetString(), moved.GetProperty("isVirtualIp").GetBoolean()));
        Assert.Equal(("MonitorMoved", "node3"), (json[1].GetProperty("kind").GetString(), json[1].GetProperty("node").GetString()));
    }

    [Fact]
    public void AChange_ReadsBack_WithEachEventAsItsOwnType()
    {
        var back = JsonSerializer.Deserialize<ClusterChange>(JsonSerializer.Serialize(Change(EachKind), StateJson.Options), StateJson.Options)!;

        Assert.Equal(EachKind, back.Events);
    }

    [Fact]
    public void EveryKindOfEvent_IsInTheCasesAbove()
    {
        var kinds = typeof(ClusterEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ClusterEvent)) && !t.IsAbstract);
        Assert.Empty(kinds.Except(EachKind.Select(e => e.GetType())).Select(k => k.Name));
    }
}
