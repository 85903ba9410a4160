using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Tests.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Validation;

/// <summary>The one validation vocabulary, attacked value by value.</summary>
public class InputRulesTests
{
    /// <summary>Every rule with a value it accepts: what any attack below is appended to.</summary>
    public static TheoryData<string, string> EveryRule() => new()
    {
        { "Name", "node1" }, { "ResourceId", "vip-192.0.2.101" }, { "HostAddress", "node1.lab.example.net" }, { "HostAddress", "192.0.2.11" },
        { "IpAddress", "192.0.2.11" }, { "IpAddress", "fd00::11" }, { "VirtualIpAddress", "192.0.2.101" }, { "InterfaceName", "eth0" },
        { "UserName", "root" }, { "AbsolutePath", "/srv/cluster-state/ganesha" }, { "ServedPath", "/srv/data" }, { "ShareName", "team" },
        { "ExportClients", "192.0.2.0/24" }, { "ExportClients", "*" }, { "Text", "Team files" }, { "ConfigText", "Team files" },
        { "Principal", "LAB\\alice" }, { "Principal", "@\"LAB\\domain users\"" }, { "PrincipalList", "alice @staff" },
        { "FolderMode", "2770" }, { "TunableName", "KeepaliveInterval" },
    };

    private static string? Check(string rule, string value) => rule switch
    {
        "Name" => InputRules.Name(value),
        "ResourceId" => InputRules.ResourceId(value),
        "HostAddress" => InputRules.HostAddress(value),
        "IpAddress" => InputRules.IpAddress(value),
        "VirtualIpAddress" => InputRules.VirtualIpAddress(value),
        "InterfaceName" => InputRules.InterfaceName(value),
        "UserName" => InputRules.UserName(value),
        "AbsolutePath" => InputRules.AbsolutePath(value),
        "ServedPath" => InputRules.ServedPath(value),
        "ShareName" => InputRules.ShareName(value),
        "ExportClients" => InputRules.ExportClients(value),
        "Text" => InputRules.Text(value),
        "ConfigText" => InputRules.ConfigText(value),
        "Principal" => SmbPrincipal.TryParse(value, out _, out var error) ? null : error,
        "PrincipalList" => PrincipalListError(value),
        "FolderMode" => InputRules.FolderMode(value),
        "TunableName" => InputRules.TunableName(value),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static string? PrincipalListError(string value)
    {
        try { SmbPrincipal.ParseList(value); return null; }
        catch (FormatException e) { return e.Message; }
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void TheGoodValue_IsAccepted(string rule, string good) => Assert.Null(Check(rule, good));

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void ATrailingNewline_InAnyNameOrPath_IsRefused(string rule, string good)
    {
        Assert.NotNull(Check(rule, good + "\n"));
        Assert.NotNull(Check(rule, good + "\r\n"));
        Assert.NotNull(Check(rule, good + "\n[evil]"));
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void ALeadingNewline_IsRefused(string rule, string good) => Assert.NotNull(Check(rule, "\n" + good));

    [Theory]
    [InlineData("\u202E")] [InlineData("\u202A")] [InlineData("\u2066")] [InlineData("\u2069")]
    [InlineData("\u200B")] [InlineData("\u200D")] [InlineData("\u2060")] [InlineData("\uFEFF")] [InlineData("\u00AD")]
    [InlineData("\u2028")]
    public void BidiOverrides_ZeroWidthAndOtherInvisibleCharacters_AreRefused_InTextShownToAdmins(string invisible)
    {
        foreach (var rule in new[] { "Text", "ConfigText", "Name", "ShareName", "UserName", "Principal", "PrincipalList", "ServedPath" })
            Assert.NotNull(Check(rule, "abc" + invisible + "def"));
    }

    [Fact]
    public void ABrokenSurrogatePair_IsRefused() => Assert.NotNull(InputRules.Text("abc\uD800def"));

    [Fact]
    public void Accents_AndEmoji_AreStillFineInText() => Assert.Null(InputRules.Text("Équipe finance 📁"));

    [Theory]
    [InlineData("Team files\\")] [InlineData("Team files \\")] [InlineData(" Team files")] [InlineData("Team files ")]
    public void ATrailingBackslash_InAShareComment_IsRefused(string comment)
    {
        Assert.NotNull(InputRules.ConfigText(comment));
        Assert.Contains(InventoryValidation.Check(new Share { Name = "team", Path = "/srv/team", Comment = comment }), e => e.Field == "comment");
    }

    [Theory]
    [InlineData("alice\\")] [InlineData("alice \\")] [InlineData("@staff\\")] [InlineData("\\alice")] [InlineData("DOM\\\\alice")]
    public void ATrailingBackslash_InValidUsers_IsRefused(string users) => Assert.NotNull(PrincipalListError(users));

    [Fact]
    public void ADomainUser_IsStillAValidUser() => Assert.Null(PrincipalListError("LAB\\alice @staff +finance"));

    [Theory]
    [InlineData("0.0.0.0")] [InlineData("::")] [InlineData("255.255.255.255")] [InlineData("224.0.0.1")] [InlineData("239.255.255.250")]
    [InlineData("ff02::1")] [InlineData("127.0.0.1")] [InlineData("127.1.2.3")] [InlineData("::1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:0.0.0.0")]
    public void Loopback_Multicast_Broadcast_AndUnspecified_AreNotVirtualIps(string address) =>
        Assert.NotNull(InputRules.VirtualIpAddress(address));

    [Fact]
    public void Loopback_IsNotAVip() => Assert.Contains("loopback", InputRules.VirtualIpAddress("127.0.0.1"));

    [Theory]
    [InlineData("0.0.0.0")] [InlineData("::")] [InlineData("255.255.255.255")] [InlineData("224.0.0.1")] [InlineData("ff02::1")]
    public void Unspecified_Broadcast_AndMulticast_AreNotNodeAddresses(string address) => Assert.NotNull(InputRules.HostAddress(address));

    [Theory]
    [InlineData("0x7f.0.0.1")] [InlineData("0x7f000001")] [InlineData("0X7F.1")] [InlineData("127.1")] [InlineData("2130706433")]
    [InlineData("0177.0.0.1")] [InlineData("node.0x7f")] [InlineData("a.b.123")]
    public void NumericLookingNames_AreNotHostNames(string name) => Assert.NotNull(InputRules.HostAddress(name));

    [Theory]
    [InlineData("node1")] [InlineData("node-1.lab.example.net")] [InlineData("0node.lab")] [InlineData("x0x7f.example.com")]
    public void RealHostNames_AreHostNames(string name) => Assert.Null(InputRules.HostAddress(name));

    [Theory]
    [InlineData("::ffff:10.0.0.5", "10.0.0.5")] [InlineData("2001:db8:0::5", "2001:db8::5")] [InlineData("2001:DB8::5", "2001:db8::5")]
    [InlineData("fd00:0:0:0:0:0:0:101", "fd00::101")] [InlineData("10.0.0.5", "10.0.0.5")] [InlineData("node1.lab", "node1.lab")]
    public void AnAddressHasOneSpelling(string written, string canonical)
    {
        Assert.Equal(canonical, InputRules.CanonicalAddress(written));
        Assert.Equal(canonical, new VirtualIp { Address = written }.Address);
        Assert.Equal(canonical, new Node { Name = "n", Address = written }.Address);
    }

    [Theory]
    [InlineData("10.0.0.5", "::ffff:10.0.0.5")] [InlineData("2001:db8::5", "2001:db8:0::5")] [InlineData("fd00::101", "FD00:0::101")]
    public void TheSameVip_UnderAnotherSpelling_IsADuplicate(string first, string second)
    {
        var spec = new ClusterSpec { Name = "nas1", VirtualIps = [new() { Address = first }, new() { Address = second }] };
        Assert.Contains(spec.Validate(), e => e.Field == "virtualIps[1].address" && e.Message.Contains("twice", StringComparison.Ordinal));
    }

    [Fact]
    public void SrvA_AndSrvCapitalA_MayBothBeExported()
    {
        var spec = new ClusterSpec { Name = "nas1", Exports = [new() { Path = "/srv/a" }, new() { Path = "/srv/A" }] };
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void TheSamePath_IsStillExportedOnlyOnce()
    {
        var spec = new ClusterSpec { Name = "nas1", Exports = [new() { Path = "/srv/a" }, new() { Path = "/srv/a" }] };
        Assert.Contains(spec.Validate(), e => e.Field == "exports[1].path");
    }

    [Theory]
    [InlineData("/")] [InlineData("/etc")] [InlineData("/etc/samba")] [InlineData("/root")] [InlineData("/root/.ssh")] [InlineData("/boot")]
    [InlineData("/proc/1")] [InlineData("/sys")] [InlineData("/dev/sda")] [InlineData("/usr")] [InlineData("/usr/local/bin")] [InlineData("/bin")]
    [InlineData("/sbin")] [InlineData("/lib")] [InlineData("/lib64")] [InlineData("/libx32/x")] [InlineData("/var")] [InlineData("/var/lib")] [InlineData("/var/lib/samba/private")] [InlineData("/run")]
    public void SystemDirectories_CannotBeSharedOrExported(string path)
    {
        Assert.NotNull(InputRules.ServedPath(path));
        Assert.Contains(InventoryValidation.Check(new Share { Name = "s", Path = path }), e => e.Field == "path");
        Assert.Contains(InventoryValidation.Check(new Export { Path = path }), e => e.Field == "path");
    }

    [Fact]
    public void Etc_CannotBeShared() => Assert.Contains("system directory", InputRules.ServedPath("/etc"));

    [Theory]
    [InlineData("/srv/data")] [InlineData("/var/export/x")] [InlineData("/home/shared")] [InlineData("/srv/etc")] [InlineData("/data/root")]
    public void DataDirectories_MayBeServed(string path) => Assert.Null(InputRules.ServedPath(path));

    [Theory]
    [InlineData("//etc")] [InlineData("/./etc")] [InlineData("/srv/a/")] [InlineData("/srv//a")] [InlineData("/srv/a ")] [InlineData("/srv/ a")]
    public void APathHasOneSpelling_SoAnotherCannotHideASystemDirectoryOrADuplicate(string path) => Assert.NotNull(InputRules.AbsolutePath(path));

    [Fact]
    public void AShareGuestsMayWrite_IsAllowed_WithAWarningInThePlan()
    {
        var spec = new ClusterSpec { Name = "nas1", Shares = [new() { Name = "drop", Path = "/srv/drop", GuestOk = true }, new() { Name = "pub", Path = "/srv/pub", GuestOk = true, ReadOnly = true }] };
        Assert.Empty(spec.Validate());
        var warning = Assert.Single(PlanCheck.GuestWrites(spec));
        Assert.Contains("drop", warning);
    }

    [Fact]
    public void AShareGuestsMayWrite_IsNamedInThePlansWarnings()
    {
        var spec = SpecExamples.ThreeNodes() with { Shares = [new() { Name = "drop", Path = "/srv/drop", GuestOk = true }] };
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        Assert.Contains(plan.Warnings, w => w.StartsWith("Share drop lets guests write", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.0/24\n")] [InlineData("\n*")] [InlineData("10.0.0.1,\n10.0.0.2")] [InlineData("\"evil\"")]
    public void ExportClients_WithANewlineOrQuote_AreRefused(string clients) => Assert.NotNull(InputRules.ExportClients(clients));

    [Theory]
    [InlineData("10.0.0.0/24 10.0.1.0/24")] [InlineData("host a")] [InlineData("10.0.0.1,,10.0.0.2")] [InlineData(",10.0.0.1")]
    public void ExportClients_ThatAreNotOneTokenEach_AreRefused(string clients) => Assert.NotNull(InputRules.ExportClients(clients));

    [Fact]
    public void ExportClients_AreWrittenToGaneshaBare_OnePerComma()
    {
        Assert.Null(InputRules.ExportClients("192.0.2.0/24 , fd00::/64,*.example.org"));
        var spec = SpecExamples.ThreeNodes() with { Exports = [new() { Path = "/srv/nfs", Clients = "192.0.2.0/24 , fd00::/64,*.example.org" }] };

        Assert.Contains("\t\tClients = 192.0.2.0/24, fd00::/64, *.example.org;\n", ConfigFiles.GaneshaConf(spec, "node1"), StringComparison.Ordinal);
    }
}
