using System.Diagnostics;
using Microsoft.Data.Sqlite;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Identity;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Local SMB users made through the console's service on the console-built cluster: a user in a local group writes
/// through one VIP and reads through the others, a new password works at once and the old one no longer does, a deleted
/// user is refused. The user the test leaves behind is the one the lifecycle test checks on the node that joins again.
/// </summary>
public sealed partial class ApplyLabTests
{
    private const string TeamGroup = "labteam";
    private const string TeamUser = "carol";
    private const string TeamShare = "team";

    /// <summary>The local user this class's cluster has, with its current password, once the local-users test has run.</summary>
    private static (string User, string Password)? s_localUser;

    [Fact]
    public async Task LocalUsers_MadeByTheConsole_WriteThroughOneVip_ReadThroughEveryOther_ANewPasswordWorksAtOnce_AndADeletedUserIsRefused()
    {
        var cluster = await built.BuildAsync(fixture);
        var lab = fixture.Description;
        var original = cluster.Applied;
        var inventory = new SqliteInventory(cluster.Apply.Database, new SystemActor(), TimeProvider.System);
        var settings = await inventory.GetSettingsAsync(cluster.Apply.ClusterId);
        await inventory.UpdateSettingsAsync(cluster.Apply.ClusterId, settings with { Identity = settings.Identity with { Mode = IdentityMode.LocalUsers } });
        var accounts = LocalAccounts(cluster);
        var firstPassword = "first pass " + Guid.NewGuid().ToString("N")[..8];
        var secondPassword = "second pass " + Guid.NewGuid().ToString("N")[..8];

        var clock = Stopwatch.StartNew();
        var group = await accounts.CreateGroupAsync(cluster.Apply.ClusterId, TeamGroup);
        var groupTook = clock.Elapsed;
        clock.Restart();
        var user = await accounts.CreateUserAsync(cluster.Apply.ClusterId, new NewLocalUser(TeamUser, "Carol Lab", [TeamGroup]), firstPassword);
        var userTook = clock.Elapsed;
        output.WriteLine($"local group {group.Name} (gid {group.Gid}): {groupTook.TotalSeconds:0.0} s; user {user.Name} (uid {user.Uid}) with its SMB password: {userTook.TotalSeconds:0.0} s");

        foreach (var node in lab.Nodes.Select(n => n.Name))
        {
            Assert.Equal($"{TeamUser}:x:{user.Uid}:100::/nonexistent:/usr/sbin/nologin", (await cluster.Apply.RunAsync(node, "getent", "passwd", TeamUser)).Trim());
            Assert.Equal($"{TeamGroup}:x:{group.Gid}:{TeamUser}", (await cluster.Apply.RunAsync(node, "getent", "group", TeamGroup)).Trim());
        }
        var spec = WithTeamShare(original, (await inventory.GetSettingsAsync(cluster.Apply.ClusterId)).Identity, lab);
        await cluster.Apply.RunAsync("node1", "install", "-d", "-m", "2770", "-g", TeamGroup, TeamFolder(lab));
        try
        {
            await cluster.ConvergeAsync(spec);
            var vips = spec.VirtualIps.Select(v => v.Address).ToList();
            var file = $"lu-{Guid.NewGuid():N}.txt";

            await SmbAsUserAsync(lab, vips[0], TeamUser, firstPassword, $"put /etc/hostname {file}");
            foreach (var vip in vips.Skip(1))
                Assert.Contains(await File.ReadAllTextAsync("/etc/hostname"), await SmbAsUserAsync(lab, vip, TeamUser, firstPassword, $"get {file} /dev/stdout"), StringComparison.Ordinal);
            Assert.Equal(user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (await cluster.Apply.RunAsync("node1", "stat", "-c", "%u", Path.Combine(TeamFolder(lab), file))).Trim());

            clock.Restart();
            await accounts.SetPasswordAsync(cluster.Apply.ClusterId, TeamUser, secondPassword);
            output.WriteLine($"password change: {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Contains("NT_STATUS_LOGON_FAILURE", await SmbRefusedAsync(lab, vips[^1], TeamUser, firstPassword), StringComparison.Ordinal);
            await SmbAsUserAsync(lab, vips[^1], TeamUser, secondPassword, $"get {file} /dev/null");

            clock.Restart();
            await accounts.DeleteUserAsync(cluster.Apply.ClusterId, TeamUser);
            output.WriteLine($"user deleted: {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (var vip in vips) Assert.Contains("NT_STATUS_", await SmbRefusedAsync(lab, vip, TeamUser, secondPassword), StringComparison.Ordinal);
            foreach (var node in lab.Nodes.Select(n => n.Name))
                Assert.Equal("", await cluster.Apply.RunAsync(node, "sh", "-c", "getent passwd \"$0\" || true", TeamUser));

            // Made again, the user gets a new uid: the old one still owns the file it wrote.
            var again = await accounts.CreateUserAsync(cluster.Apply.ClusterId, new NewLocalUser(TeamUser, null, [TeamGroup]), firstPassword);
            Assert.True(again.Uid > user.Uid, $"uid {again.Uid} was given again");
            await SmbAsUserAsync(lab, vips[0], TeamUser, firstPassword, $"get {file} /dev/null");
            s_localUser = (TeamUser, firstPassword);

            // The password never reached the inventory's file, its audit log or a job's output.
            SqliteConnection.ClearAllPools();
            foreach (var path in Directory.GetFiles(Path.GetDirectoryName(cluster.Apply.Database.Path)!))
            {
                var bytes = await File.ReadAllBytesAsync(path);
                foreach (var secret in new[] { firstPassword, secondPassword })
                    Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(path)} holds a password");
            }
        }
        finally
        {
            // The next tests converge to their own specs: the team share goes, the accounts stay for the lifecycle test.
            await cluster.ConvergeAsync(original);
        }
    }

    /// <summary>The console's local-accounts service over this lab's inventory, audit and SSH, acting as the console itself.</summary>
    private static ClusterLocalAccounts LocalAccounts(ConsoleBuiltCluster cluster)
    {
        var apply = cluster.Apply;
        var nodes = new LabClusters(new MonitoredCluster(apply.ClusterId, "labnas", [.. apply.Lab.Nodes.Select(n => apply.Targets[n.Name])]));
        return new ClusterLocalAccounts(new SqliteInventory(apply.Database, new SystemActor(), TimeProvider.System), nodes, apply.Ssh,
            new LiveNodes(apply.Ssh, TimeProvider.System), apply.Audit, new SystemActor(), TimeProvider.System);
    }

    /// <summary>The spec with the identity and a share only the team group may use.</summary>
    private static ClusterSpec WithTeamShare(ClusterSpec spec, IdentitySpec identity, LabDescription lab) => spec with
    {
        Identity = identity,
        Shares = [.. spec.Shares.Where(s => s.Name != TeamShare), new ShareSpec { Name = TeamShare, Path = TeamFolder(lab), ValidUsers = [SmbPrincipal.Group(TeamGroup)] }],
    };

    /// <summary>
    /// The spec as the console would build it once local users exist (the inventory's identity, the team share), when the
    /// local-users test made them; otherwise the spec as it is.
    /// </summary>
    private static async Task<ClusterSpec> WithLocalUsersAsync(ConsoleBuiltCluster cluster, ClusterSpec spec, LabDescription lab) =>
        s_localUser is null ? spec
            : WithTeamShare(spec, (await new SqliteInventory(cluster.Apply.Database, new SystemActor(), TimeProvider.System).GetSettingsAsync(cluster.Apply.ClusterId)).Identity, lab);

    private static string TeamFolder(LabDescription lab) => Path.Combine(lab.SharedDirectory, "team");

    /// <summary>Runs smbclient commands through ADDRESS as the user, its password in an authentication file (never in argv).</summary>
    private static async Task<string> SmbAsUserAsync(LabDescription lab, string address, string user, string password, string commands)
    {
        // A temporary folder is made private to its owner (700): the file in it is no one else's to read.
        var folder = Directory.CreateTempSubdirectory("storageha-smbauth-").FullName;
        var auth = Path.Combine(folder, "auth");
        await File.WriteAllTextAsync(auth, $"username = {user}\npassword = {password}\n");
        try
        {
            return await StorageHa.Integration.Tests.Tickle.NamespaceCommand.RunAsync(TimeSpan.FromSeconds(60), lab.ClientNamespace,
                "smbclient", $"//{address}/{TeamShare}", "-A", auth, "-c", commands);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>What smbclient printed when the login was refused (the test fails if it was let in).</summary>
    private static async Task<string> SmbRefusedAsync(LabDescription lab, string address, string user, string password)
    {
        try
        {
            var output = await SmbAsUserAsync(lab, address, user, password, "ls");
            throw new Xunit.Sdk.XunitException($"{user} logged in through {address} and listed:\n{output}");
        }
        catch (InvalidOperationException refused) { return refused.Message; }
    }

    /// <summary>The cluster's nodes as the console reaches them in this lab (through the forwarders).</summary>
    private sealed class LabClusters(MonitoredCluster cluster) : IMonitoredClusters
    {
        public Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<MonitoredCluster>>([cluster]);
    }
}
