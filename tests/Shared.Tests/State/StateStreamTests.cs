using System.Text;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>watch-state's framing as the console reads it: records whole however the bytes arrive, and anything else refused.</summary>
public sealed class StateStreamTests
{
    private const string Xml = "<pacemaker-result api-version=\"2.25\" request=\"crm_mon\">\n  <summary><stack type=\"corosync\"/></summary>\n  <nodes><node name=\"nœud-1\"/></nodes>\n</pacemaker-result>\n";

    private static byte[] Stream(params byte[][] records) => [.. StateStream.HelloLine(), .. records.SelectMany(r => r)];

    [Fact]
    public void AWholeStream_GivesItsStatesHeartbeatsAndProblems_InOrder()
    {
        var reader = new StateStreamReader();

        var records = reader.Add(Stream(StateStream.State(Xml), StateStream.Heartbeat(), StateStream.Problem("crm_mon exited 102: no\nquorum"), StateStream.State("<a/>")));

        Assert.True(reader.Greeted);
        Assert.Equal<StateRecord>([new StateRead(Xml), new StateHeartbeat(), new StateProblem("crm_mon exited 102: no quorum"), new StateRead("<a/>")], records);
    }

    [Fact]
    public void ByteByByte_EachRecordComesWhenItsLastByteArrives_AndMultiByteCharactersSurviveTheSplit()
    {
        var bytes = Stream(StateStream.State(Xml), StateStream.Heartbeat());
        var stateEnds = StateStream.HelloLine().Length + StateStream.State(Xml).Length;
        var reader = new StateStreamReader();
        var seen = new List<(int At, StateRecord Record)>();

        for (var i = 0; i < bytes.Length; i++)
            seen.AddRange(reader.Add(bytes.AsSpan(i, 1)).Select(r => (i + 1, r)));

        Assert.Equal([(stateEnds, (StateRecord)new StateRead(Xml)), (bytes.Length, new StateHeartbeat())], seen);
    }

    [Fact]
    public void AStateCutAnywhere_IsHeldUntilTheRestArrives()
    {
        var bytes = Stream(StateStream.State(Xml));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var reader = new StateStreamReader();
            Assert.Empty(reader.Add(bytes.AsSpan(0, cut)));
            Assert.Equal([new StateRead(Xml)], reader.Add(bytes.AsSpan(cut)));
        }
    }

    [Fact]
    public void AnOldHelpersUsageInsteadOfTheHello_IsNotWatchStatesOutput_SayingWhatCame()
    {
        var reader = new StateStreamReader();

        var refused = Assert.Throws<StateStreamException>(() => reader.Add("usage: storageha-node version\n"u8));

        Assert.Equal("not watch-state's output: 'usage: storageha-node version' (the first line should be 'storageha-watch-state 1')", refused.Message);
        Assert.False(reader.Greeted);
    }

    [Theory]
    [InlineData("hello\n", "not watch-state's output: 'hello' (expected heartbeat, problem TEXT or state N)")]
    [InlineData("state twelve\n", "not watch-state's output: 'state twelve' (a state's length must be a number of bytes up to 16777216)")]
    [InlineData("state -3\n", "not watch-state's output: 'state -3' (a state's length must be a number of bytes up to 16777216)")]
    [InlineData("state 99999999\n", "not watch-state's output: 'state 99999999' (a state's length must be a number of bytes up to 16777216)")]
    [InlineData("state 3\nabcd", "a state of 3 bytes was not followed by a newline: the stream is out of step")]
    public void GarbageAfterTheHello_IsAClearError(string garbage, string said)
    {
        var reader = new StateStreamReader();

        var refused = Assert.Throws<StateStreamException>(() => reader.Add(Stream(Encoding.UTF8.GetBytes(garbage))));

        Assert.Equal(said, refused.Message);
    }

    [Fact]
    public void RecordsBeforeGarbage_AreTakenOneByOne_BeforeTheError()
    {
        var reader = new StateStreamReader();
        reader.Append(Stream(StateStream.State(Xml), StateStream.Heartbeat(), "<html>\n"u8.ToArray()));

        Assert.Equal(new StateRead(Xml), reader.Next());
        Assert.Equal(new StateHeartbeat(), reader.Next());
        Assert.Throws<StateStreamException>(() => reader.Next());
    }

    [Fact]
    public void ALineThatNeverEnds_IsRefusedOnceItIsLongerThanAnyRecordsHead()
    {
        var reader = new StateStreamReader();
        reader.Add(StateStream.HelloLine());

        var refused = Assert.Throws<StateStreamException>(() => reader.Add(Encoding.ASCII.GetBytes(new string('x', 5000))));

        Assert.StartsWith("not watch-state's output: 'xxxxxxxx", refused.Message);
    }
}
