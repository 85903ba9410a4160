using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

public sealed class CrmMonRoundTripTests
{
    [Fact]
    public void GeneratedStates_RenderedAsCrmMonXml_ParseBackEqual()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var state = new ClusterStateGenerator(seed).Next();
            var xml = CrmMonWriter.Write(state);

            var parsed = CrmMonParser.Parse(xml);

            Assert.True(state == parsed, $"seed {seed}: {xml}");
            Assert.Equal(state.Instances, parsed.Instances);
        }
    }

    [Fact]
    public void LiveSnapshot_RenderedAndParsed_IsTheSameState()
    {
        var live = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-failed-dummy.xml"));

        Assert.Equal(live, CrmMonParser.Parse(CrmMonWriter.Write(live)));
        Assert.Equal(live with { Format = CrmMonFormat.Legacy }, CrmMonParser.Parse(CrmMonWriter.Write(live with { Format = CrmMonFormat.Legacy })));
    }
}
