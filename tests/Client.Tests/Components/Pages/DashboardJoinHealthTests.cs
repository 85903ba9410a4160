using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>In a cluster that joins Active Directory, each node's card says whether its join is healthy, checked once a minute and on demand.</summary>
public sealed class DashboardJoinHealthTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly ChannelClusterStream _stream = new();
    private readonly FakeTimeProvider _time = new(T0);

    public DashboardJoinHealthTests()
    {
        Ctx.Services.AddSingleton<IClusterStateStream>(_stream);
        Ctx.Services.AddSingleton<TimeProvider>(_time);
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
    }

    private static readonly NodeJoinHealth Joined = new("node1") { Joined = true, TrustOk = true };
    private static readonly NodeJoinHealth NotJoined = new("node2")
    {
        Joined = false, JoinMessage = "The name provided is not a properly formed account name.",
        TrustOk = false, TrustMessage = "error code was NT_STATUS_NO_TRUST_SAM_ACCOUNT (0xc000018b)",
    };
    private static readonly NodeJoinHealth Unreachable = new("node3") { Unreachable = "node3: did not answer within 30 s" };

    private static JoinHealthReport Report(params NodeJoinHealth[] nodes) => new(T0, IdentityMode.ActiveDirectory, "LAB.TEST", nodes);

    private static string DomainLine(IRenderedComponent<DashboardCluster> page, string node) =>
        page.Find($"[data-node={node}] .domain-health").TextContent.Trim();

    [Fact]
    public void EachNodeCard_SaysWhetherTheNodeIsJoined_WithTheToolsOwnWordsWhenNot()
    {
        JoinHealth.Answer(1, Report(Joined, NotJoined, Unreachable));

        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));

        page.WaitForAssertion(() => Assert.Equal("domain: joined", DomainLine(page, "node1")), Patience);
        Assert.Equal("domain: not joined (The name provided is not a properly formed account name.)", DomainLine(page, "node2"));
        Assert.Equal("domain: unknown (node3: did not answer within 30 s)", DomainLine(page, "node3"));
        Assert.Equal("yes", page.Find("[data-node=node1] .domain-health").GetAttribute("data-healthy"));
        Assert.Equal("no", page.Find("[data-node=node2] .domain-health").GetAttribute("data-healthy"));
        Assert.Contains("Domain LAB.TEST: 2 of 3 nodes not healthy", page.Find(".domain-check").TextContent);
    }

    [Fact]
    public void AClusterOutsideADomain_ShowsNoDomainLine()
    {
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));

        page.WaitForAssertion(() => Assert.Equal(1, JoinHealth.Checks), Patience);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".node-card")), Patience);
        Assert.Empty(page.FindAll(".domain-health"));
        Assert.Empty(page.FindAll(".domain-check"));
    }

    [Fact]
    public void TheJoin_IsCheckedAgainAfterAMinute_NotBefore()
    {
        JoinHealth.Answer(1, Report(Joined, NotJoined with { Node = "node2" }));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.StartsWith("domain: not joined", DomainLine(page, "node2")), Patience);

        JoinHealth.Answer(1, Report(Joined, Joined with { Node = "node2" }));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, JoinHealth.Checks);
        _time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("domain: joined", DomainLine(page, "node2")), Patience);
        Assert.Equal(2, JoinHealth.Checks);
        Assert.Equal(TimeSpan.FromSeconds(60), DashboardCluster.DomainCheckInterval);
    }

    [Fact]
    public void CheckJoinNow_AsksAtOnce_EvenAViewer()
    {
        SignInAs("vera", "Viewer");
        JoinHealth.Answer(1, Report(Joined, NotJoined));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.StartsWith("domain: not joined", DomainLine(page, "node2")), Patience);

        JoinHealth.Answer(1, Report(Joined, Joined with { Node = "node2" }));
        Click(page, "Check join now");

        page.WaitForAssertion(() => Assert.Equal("domain: joined", DomainLine(page, "node2")), Patience);
        Assert.Contains("Domain LAB.TEST: every node joined", page.Find(".domain-check").TextContent);
    }
}
