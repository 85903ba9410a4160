using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Tests.Identity;

/// <summary>What net ads testjoin and wbinfo -t print (Samba 4.17, as on Debian 12), read into joined / trust ok, with the tools' own words when not.</summary>
public sealed class JoinCheckTests
{
    [Fact]
    public void TestJoin_JoinIsOk_IsJoined()
    {
        Assert.Equal((true, null), JoinCheck.ReadTestJoin(0, "Join is OK\n", ""));
    }

    [Theory]
    [InlineData("Join to domain is not valid: The name provided is not a properly formed account name.\n", "The name provided is not a properly formed account name.")]
    // What this machine's net prints with a realm and no machine account (no DC): the reason as Samba words it.
    [InlineData("Join to domain is not valid: NT code 0xfffffff6\n", "NT code 0xfffffff6")]
    [InlineData("kerberos_kinit_password LAB$@LAB.TEST failed: Preauthentication failed\nJoin to domain is not valid: The attempted logon is invalid.\n", "The attempted logon is invalid.")]
    public void TestJoin_NotValid_IsNotJoined_SayingNetsReason(string stdErr, string reason)
    {
        Assert.Equal((false, reason), JoinCheck.ReadTestJoin(255, "", stdErr));
    }

    [Theory]
    [InlineData(1, "sudo: net: command not found\n", "net is not installed on the node (package samba-common-bin)")]
    [InlineData(127, "sh: 1: net: not found\n", "net is not installed on the node (package samba-common-bin)")]
    [InlineData(255, "Could not connect to ctdbd\n", "Could not connect to ctdbd")]
    [InlineData(255, "", "net exited with 255 and said nothing")]
    public void TestJoin_SayingNothingExpected_IsNotJoined_WithWhatItDidSay(int exit, string stdErr, string reason)
    {
        Assert.Equal((false, reason), JoinCheck.ReadTestJoin(exit, "", stdErr));
    }

    [Fact]
    public void TrustSecret_Succeeded_IsOk()
    {
        Assert.Equal((true, null), JoinCheck.ReadTrustSecret(0, "checking the trust secret for domain LAB via RPC calls succeeded\n", ""));
    }

    [Fact]
    public void TrustSecret_RefusedByTheDc_SaysTheNtStatus()
    {
        var read = JoinCheck.ReadTrustSecret(1, "checking the trust secret for domain LAB via RPC calls failed\n",
            "error code was NT_STATUS_NO_TRUST_SAM_ACCOUNT (0xc000018b)\nfailed to call wbcCheckTrustCredentials: WBC_ERR_AUTH_ERROR\nCould not check secret\n");

        Assert.Equal((false, "error code was NT_STATUS_NO_TRUST_SAM_ACCOUNT (0xc000018b)"), read);
    }

    [Fact]
    public void TrustSecret_WithoutWinbind_SaysWinbindIsNotAvailable()
    {
        // Exactly what this machine's wbinfo prints with no winbindd running.
        var read = JoinCheck.ReadTrustSecret(1, "checking the trust secret for domain (null) via RPC calls failed\n",
            "could not obtain winbind interface details: WBC_ERR_WINBIND_NOT_AVAILABLE\ncould not obtain winbind domain name!\n" +
            "failed to call wbcCheckTrustCredentials: WBC_ERR_WINBIND_NOT_AVAILABLE\nCould not check secret\n");

        Assert.Equal((false, "failed to call wbcCheckTrustCredentials: WBC_ERR_WINBIND_NOT_AVAILABLE"), read);
    }

    [Fact]
    public void TrustSecret_Missing_NamesItsPackage()
    {
        Assert.Equal((false, "wbinfo is not installed on the node (package winbind)"), JoinCheck.ReadTrustSecret(1, "", "sudo: wbinfo: command not found\n"));
    }

    [Fact]
    public void NodeSummary_ReadsAsTheDashboardShowsIt()
    {
        Assert.Equal("joined", new NodeJoinHealth("n1") { Joined = true, TrustOk = true }.Summary);
        Assert.Equal("joined, trust failing (WBC_ERR_AUTH_ERROR)", new NodeJoinHealth("n1") { Joined = true, TrustOk = false, TrustMessage = "WBC_ERR_AUTH_ERROR" }.Summary);
        Assert.Equal("not joined (NT code 0xfffffff6)", new NodeJoinHealth("n1") { Joined = false, JoinMessage = "NT code 0xfffffff6", TrustOk = false }.Summary);
        Assert.Equal("unknown (n1: refused)", new NodeJoinHealth("n1") { Unreachable = "n1: refused" }.Summary);
        Assert.False(new JoinHealthReport(DateTimeOffset.UnixEpoch, IdentityMode.ActiveDirectory, "LAB.TEST",
            [new("n1") { Joined = true, TrustOk = true }, new("n2") { Unreachable = "n2: refused" }]).Healthy);
    }
}
