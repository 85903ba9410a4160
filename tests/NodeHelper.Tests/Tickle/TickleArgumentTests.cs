namespace StorageHa.NodeHelper.Tests.Tickle;

/// <summary>Every argument of tickle record/send is checked first; a bad one exits 2 naming the option and what is wrong.</summary>
public class TickleArgumentTests
{
    [Theory]
    [InlineData("--vip 300.1.2.3 --ports 445 --dir /tmp", "--vip: '300.1.2.3' is not a valid IPv4 address")]
    [InlineData("--vip fd00::1%eth0 --ports 445 --dir /tmp", "--vip: 'fd00::1%eth0' is not a valid IPv6 address")]
    [InlineData("--ports 445 --dir /tmp", "--vip: is required")]
    [InlineData("--vip 192.0.2.100 --ports 0 --dir /tmp", "--ports: '0' is not a TCP port (1–65535)")]
    [InlineData("--vip 192.0.2.100 --ports 445,65536 --dir /tmp", "--ports: '65536' is not a TCP port (1–65535)")]
    [InlineData("--vip 192.0.2.100 --ports smb --dir /tmp", "--ports: 'smb' is not a TCP port (1–65535)")]
    [InlineData("--vip 192.0.2.100 --dir /tmp", "--ports: is required")]
    [InlineData("--vip 192.0.2.100 --ports 445 --dir tickle", "--dir: must be an absolute path")]
    [InlineData("--vip 192.0.2.100 --ports 445 --dir /srv/../etc", "--dir: must not contain '..'")]
    [InlineData("--vip 192.0.2.100 --ports 445 --dir /tmp --interval 0", "--interval: '0' is not a number of seconds")]
    [InlineData("--vip 192.0.2.100 --ports 445 --dir /tmp --rounds 3", "unknown option '--rounds'")]
    [InlineData("--vip 192.0.2.100 --ports 445 --dir", "--dir needs a value")]
    public void Record_RefusesBadArguments_WithExit2(string arguments, string message)
    {
        var run = CliRun.Of(["tickle", "record", .. arguments.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"storageha-node tickle record: {message}", run.Error);
        Assert.Contains("usage:", run.Error);
    }

    [Theory]
    [InlineData("--vip 192.0.2.100 --dir /tmp --rounds 0", "--rounds: '0' is not a whole number from 1 to 20")]
    [InlineData("--vip 192.0.2.100 --dir /tmp --rounds x", "--rounds: 'x' is not a whole number")]
    [InlineData("--vip 192.0.2.100 --dir /tmp --interval -1", "--interval: '-1' is not a number of seconds")]
    [InlineData("--vip 192.0.2.100 --dir /tmp --ports 445", "unknown option '--ports'")]
    [InlineData("--vip 192.0.2.100 --dir /tmp --once", "unknown option '--once'")]
    [InlineData("--vip 10.1 --dir /tmp", "--vip: '10.1' is not a valid IPv4 address")]
    public void Send_RefusesBadArguments_WithExit2(string arguments, string message)
    {
        var run = CliRun.Of(["tickle", "send", .. arguments.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"storageha-node tickle send: {message}", run.Error);
    }

    [Fact]
    public void Tickle_WithoutRecordOrSend_IsAUsageError()
    {
        var run = CliRun.Of("tickle", "replay");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown tickle command 'replay'", run.Error);
        Assert.Contains("storageha-node tickle send --vip IP --dir DIR", run.Error);
    }
}
