using StorageHa.Server.Provisioning;

namespace StorageHa.Server.Tests.Provisioning;

public class LocalToolTests
{
    [Fact]
    public async Task ACommandThatExitsWithoutReadingItsInput_StillGivesItsResult()
    {
        // A megabyte fills the pipe long before `true` exits unread, so the write meets a broken pipe every time.
        var result = await LocalTool.RunAsync(["true"], Path.GetTempPath(), input: new string('x', 1 << 20));

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task ACommandThatReadsItsInput_GetsAllOfIt()
    {
        var result = await LocalTool.RunAsync(["wc", "-c"], Path.GetTempPath(), input: new string('x', 1 << 20));

        Assert.Equal((1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Output.Trim());
    }
}
