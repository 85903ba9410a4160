using StorageHa.Server.Ssh;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>A timeout's message is read by a person (on a node card, in a job): it names the command briefly, not a whole node script.</summary>
public sealed class CommandTimedOutMessageTests
{
    private static readonly string Script = "bash -c '# clients.sh: who is connected to this node\n" + string.Concat(Enumerable.Repeat("smbstatus --json; ", 40)) + "' clients";

    [Fact]
    public void ANodeThatDidNotAnswer_NamesTheScriptsFirstLine_Cut()
    {
        var error = CommandTimedOutException.BeforeStart("node1 (192.0.2.11:22)", Script, TimeSpan.FromSeconds(12));

        Assert.Equal("node1 (192.0.2.11:22) did not answer within 12 s (no connection was open in time), so the command did not start: " +
            "bash -c '# clients.sh: who is connected to this node…. Is the node up, or hung?", error.Message);
    }

    [Fact]
    public void ACommandThatTimedOut_CutsALongLine_AndKeepsAShortOneWhole()
    {
        var line = "crm_resource --wait --timeout=60 " + new string('x', 200);

        Assert.Equal($"The command on node1 timed out after 60 s and was stopped: {line[..CommandTimedOutException.BriefLength]}…",
            new CommandTimedOutException("node1", line, TimeSpan.FromSeconds(60)).Message);
        Assert.Equal("The command on node1 timed out after 1 s and was stopped: sleep 5", new CommandTimedOutException("node1", "sleep 5", TimeSpan.FromSeconds(1)).Message);
    }
}
