using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using StorageHa.Integration.Tests.Tickle;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// `lab.sh up --ad` gives the lab an Active Directory domain: Samba's AD DC dc.lab.test (realm LAB.TEST, workgroup
/// LAB) on the lab network with test users and groups, which every node's resolver asks. Its failures are real: `dc
/// stop` makes it unreachable, `dc clock` sets its clock off the nodes'. These tests share the systemd lab's
/// fixture (its DC boots beside the nodes); a test that stops the DC or moves its clock puts it back.
/// </summary>
[Collection(SystemdLabCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class DomainControllerLabTests(SystemdLabTestsFixture lab, ITestOutputHelper output)
{
    private LabDomain Domain => lab.Description.Ad ?? throw new InvalidOperationException("lab.json has no domain (\"ad\")");
    private LabDomainController Dc => Domain.Dc;

    [Fact]
    public async Task TheDc_AnswersLdapKerberosAndDns_ForTheDomainLabJsonDescribes()
    {
        RequiredTool.Require(Dig);
        Assert.Equal(("LAB.TEST", "lab.test", "LAB", "dc.lab.test"), (Domain.Realm, Domain.DnsDomain, Domain.Workgroup, Dc.HostName));
        Assert.Equal(["staff"], Domain.Groups);
        Assert.Equal(["alice", "bob"], Domain.MembersOf("staff").Select(u => u.Name));
        Assert.Empty(Domain.User("carol").Groups);
        var passwords = Domain.Users.Select(u => u.Password).Append(Domain.Administrator.Password).ToList();
        Assert.All(passwords, p => Assert.True(p.Length >= 16, "a test account's password is not strong"));
        Assert.Equal(passwords.Count, passwords.Distinct().Count());

        foreach (var port in new[] { 389, 88 })
            Assert.True(NetworkNamespace.CanConnect(lab.Description.ClientNamespace, Dc.Address, port, TimeSpan.FromSeconds(5)),
                $"the DC does not accept connections on {Dc.Address}:{port}");
        Assert.Equal("0 100 389 dc.lab.test.", (await DigAsync(lab.Description.ClientNamespace, "_ldap._tcp.lab.test", Dc.Address)).Trim());
        Assert.Equal("0 100 88 dc.lab.test.", (await DigAsync(lab.Description.ClientNamespace, "_kerberos._udp.lab.test", Dc.Address)).Trim());
    }

    [Fact]
    public async Task EveryNode_ResolvesTheDomainThroughTheDc_AndHasNoKerberosConfigurationFromTheLab()
    {
        RequiredTool.Require(Dig);
        foreach (var node in lab.Description.Nodes)
        {
            // One exec a node (each costs a second on a loaded machine): its resolvers; the DC's name, which /etc/hosts
            // knows; the domain's own address, which only the DC's DNS knows; whether the lab wrote a krb5.conf (joining,
            // and with it krb5.conf and the NSS configuration, is the console's job).
            var seen = (await lab.RunAsRootAsync(node.Name,
                "grep '^nameserver' /etc/resolv.conf; getent hosts dc.lab.test; getent ahostsv4 lab.test | head -n 1; " +
                "test -e /etc/krb5.conf && echo krb5.conf present || echo krb5.conf absent")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([$"nameserver {Dc.Address}"], seen.Where(l => l.StartsWith("nameserver")).Select(l => Regex.Replace(l, @"\s+", " ")));
            Assert.Matches($@"^{Regex.Escape(Dc.Address)}\s+dc\.lab\.test\b", seen.Single(l => l.Contains("dc.lab.test")));
            Assert.Matches($@"^{Regex.Escape(Dc.Address)}\s+STREAM\s+lab\.test$", seen.Single(l => l.Contains("STREAM")));
            Assert.Contains("krb5.conf absent", seen);
            Assert.Contains("dc.lab.test.", await DigAsync(node.Namespace, "_ldap._tcp.lab.test", Dc.Address));
        }
    }

    [Fact]
    public async Task ATestUser_GetsAKerberosTicket_AndOpensTheDcsNetlogonShare_FromANode_AWrongPasswordDoesNot()
    {
        var alice = Domain.User("alice");
        var files = Directory.CreateDirectory(Path.Combine(lab.Description.SharedDirectory, $"dc-test-{Guid.NewGuid():N}"));
        try
        {
            // Passwords on standard input or in a file only readable by root, never in a command line.
            var krb5 = Write(files, "krb5.conf", $"[libdefaults]\n  default_realm = {Domain.Realm}\n  dns_lookup_kdc = true\n  rdns = false\n");
            var password = Write(files, "alice.password", alice.Password + "\n");
            var wrong = Write(files, "wrong.password", Domain.User("bob").Password + "\n");
            var auth = Write(files, "alice.auth", $"username = {alice.Name}\npassword = {alice.Password}\ndomain = {Domain.Workgroup}\n");
            var kerberos = $"KRB5_CONFIG={krb5} KRB5CCNAME=FILE:{files.FullName}/ccache";

            var ticket = await lab.RunAsRootAsync("node1", $"{kerberos} kinit alice@{Domain.Realm} < {password} > /dev/null && {kerberos} klist");
            Assert.Contains($"Default principal: alice@{Domain.Realm}", ticket);
            Assert.Contains($"krbtgt/{Domain.Realm}@{Domain.Realm}", ticket);

            var refused = await lab.Lab.RunAsync("exec", "node1", "sh", "-c", $"{kerberos} kinit alice@{Domain.Realm} < {wrong}");
            Assert.False(refused.Succeeded, $"kinit with bob's password as alice succeeded: {refused.Output}");

            var netlogon = await lab.RunAsRootAsync("node1", $"smbclient //dc.lab.test/netlogon -A {auth} -c ls");
            Assert.Contains("blocks available", netlogon);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DcStop_MakesTheDcUnreachable_AndDcStartBringsItBackWithItsDomain()
    {
        RequiredTool.Require(Dig);
        var client = lab.Description.ClientNamespace;
        await lab.Lab.RunCheckedAsync("dc", "stop");
        try
        {
            Assert.False(NetworkNamespace.CanConnect(client, Dc.Address, 389, TimeSpan.FromSeconds(3)), "LDAP still answers on a stopped DC");
            using var dig = NamespaceCommand.Start(client, "dig", "+short", "+time=1", "+tries=1", "-t", "SRV", "_ldap._tcp.lab.test", $"@{Dc.Address}");
            Assert.NotEqual(0, await dig.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("stopped", await lab.Lab.RunCheckedAsync("status"));
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            await lab.Lab.RunCheckedAsync("dc", "start");
            output.WriteLine($"dc start until LDAP, Kerberos and DNS answer: {clock.Elapsed.TotalSeconds:F1} s");
        }
        Assert.True(NetworkNamespace.CanConnect(client, Dc.Address, 389, TimeSpan.FromSeconds(5)), "LDAP does not answer after dc start");
        Assert.Contains("dc.lab.test.", await DigAsync(client, "_ldap._tcp.lab.test", Dc.Address));
    }

    [Fact]
    public async Task DcClock_SetsTheDcsClockOffTheNodes_AndZeroSetsItBack()
    {
        await lab.Lab.RunCheckedAsync("dc", "clock", "600");
        try
        {
            Assert.InRange(await ServerTimeOffsetAsync(), 595, 605);
        }
        finally
        {
            await lab.Lab.RunCheckedAsync("dc", "clock", "0");
        }
        Assert.InRange(await ServerTimeOffsetAsync(), -5, 5);
    }

    [Fact]
    public async Task WithNamespaceNodes_TheNodesResolveTheDomain_TheHostKeepsItsOwnFiles_AndDownLeavesNothingOfTheDc()
    {
        string[] hostFiles = ["/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/krb5.conf"];
        var before = hostFiles.Select(Contents).ToList();
        var throwaway = LabCommand.Throwaway("adt");
        await throwaway.RunCheckedAsync("down");
        var clock = Stopwatch.StartNew();
        var up = await throwaway.RunAsync(TimeSpan.FromMinutes(5), "up", "--nodes", "1", "--ad");
        Assert.True(up.Succeeded, up.Output);
        output.WriteLine($"up --nodes 1 --ad: {clock.Elapsed.TotalSeconds:F1} s; {up.Output.Split('\n').FirstOrDefault(l => l.Contains("DC dc.lab.test answers"))}");
        var traces = LabTraces.Of(throwaway);
        try
        {
            var description = LabDescription.Load(throwaway.DescriptionPath);
            var dc = description.Ad?.Dc ?? throw new InvalidOperationException("lab.json has no domain");
            Assert.True(File.Exists($"/run/netns/{dc.Namespace}"), $"no network namespace {dc.Namespace}");
            Assert.StartsWith(dc.Address, (await throwaway.RunCheckedAsync("exec", "node1", "getent", "ahostsv4", "lab.test")).Trim());
            Assert.StartsWith(dc.Address, (await throwaway.RunCheckedAsync("exec", "node1", "getent", "hosts", "dc.lab.test")).Trim());
            Assert.Equal(before, hostFiles.Select(Contents));
        }
        finally
        {
            await throwaway.RunCheckedAsync("down");
        }
        Assert.Empty(traces.Leftovers());

        static string Contents(string path) => File.Exists(path) ? File.ReadAllText(path) : "(absent)";
    }

    private static readonly RequiredTool Dig = new("dig", "bind9-dnsutils");

    /// <summary>The DC's clock minus node1's, in seconds, as Samba's `net ads info` on the node reports it.</summary>
    private async Task<int> ServerTimeOffsetAsync()
    {
        var info = await lab.RunAsRootAsync("node1", "net ads info -S dc.lab.test");
        var offset = Regex.Match(info, @"Server time offset:\s*(-?\d+)");
        Assert.True(offset.Success, $"net ads info reports no server time offset:\n{info}");
        return int.Parse(offset.Groups[1].Value);
    }

    /// <summary>An SRV lookup with the host's dig from network namespace <paramref name="ns"/>, asking <paramref name="server"/>.</summary>
    private static Task<string> DigAsync(string ns, string name, string server) =>
        NamespaceCommand.RunAsync(ns, "dig", "+short", "+time=2", "+tries=2", "-t", "SRV", name, $"@{server}");

    private static string Write(DirectoryInfo directory, string name, string text)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, text);
        return path;
    }
}
