using System.Diagnostics;
using System.Text;
using StorageHa.Shared.State;

namespace StorageHa.Benchmarks;

/// <summary>
/// Parse + diff of a 1000-resource crm_mon document (goal ≤ 5 ms): what the monitor does on every change.
/// 16 nodes; 600 VIPs and 300 services as primitives, 20 groups of 3 and 10 clones on every node; one node gone
/// in the second snapshot, so the diff has real work. Then the quiet re-run: the same state read again (what the monitor
/// does twice a second on a cluster where nothing happens), which must give no event.
/// </summary>
internal static class ParseSpeed
{
    public static int Print(TextWriter output)
    {
        var before = Document(offlineNode: null);
        var after = Document(offlineNode: "node3");
        var previous = CrmMonParser.Parse(before);
        var events = 0;
        for (var warm = 0; warm < 20; warm++) events = ClusterDiff.Between(previous, CrmMonParser.Parse(after), DateTimeOffset.UnixEpoch).Count;
        var load = new List<double>();
        for (var run = 0; run < 200; run++)
        {
            var clock = Stopwatch.StartNew();
            System.Xml.Linq.XDocument.Parse(after);
            load.Add(clock.Elapsed.TotalMilliseconds);
        }
        var (parse, total) = ParseAndDiff(previous, after, out _);
        var (quietParse, quietTotal) = ParseAndDiff(previous, before, out var quietEvents);
        load.Sort();
        output.WriteLine($"crm_mon XML: {Encoding.UTF8.GetByteCount(after) / 1024} KiB, {previous.Instances.Count} instances, {events} events in the diff");
        output.WriteLine($"XDocument.Parse alone, for scale (200 runs): median {load[100]:F2} ms, p95 {load[190]:F2} ms");
        output.WriteLine($"parse (200 runs): median {parse[100]:F2} ms, p95 {parse[190]:F2} ms");
        output.WriteLine($"parse + diff, one node gone (200 runs): median {total[100]:F2} ms, p95 {total[190]:F2} ms, max {total[^1]:F2} ms (goal ≤ 5 ms)");
        output.WriteLine($"quiet re-run, same state again (200 runs, {quietEvents} events): parse median {quietParse[100]:F2} ms; " +
            $"parse + diff median {quietTotal[100]:F2} ms, p95 {quietTotal[190]:F2} ms, max {quietTotal[^1]:F2} ms (goal ≤ 5 ms)");
        return quietEvents == 0 ? 0 : 1;
    }

    /// <summary>200 timed runs of parse, and of parse + diff against <paramref name="previous"/>; both lists sorted.</summary>
    private static (List<double> Parse, List<double> Total) ParseAndDiff(ClusterState previous, string xml, out int events)
    {
        var parse = new List<double>();
        var total = new List<double>();
        events = 0;
        for (var run = 0; run < 200; run++)
        {
            var clock = Stopwatch.StartNew();
            var current = CrmMonParser.Parse(xml);
            parse.Add(clock.Elapsed.TotalMilliseconds);
            events = ClusterDiff.Between(previous, current, DateTimeOffset.UnixEpoch).Count;
            total.Add(clock.Elapsed.TotalMilliseconds);
        }
        parse.Sort();
        total.Sort();
        return (parse, total);
    }

    private static string Document(string? offlineNode)
    {
        const int nodes = 16;
        string NodeOf(int i) => $"node{i % nodes + 1}" is var n && n == offlineNode ? $"node{(i + 1) % nodes + 1}" : n;
        var xml = new StringBuilder("<pacemaker-result api-version=\"2.25\" request=\"crm_mon -1 --output-as=xml\">");
        xml.Append("<summary><stack type=\"corosync\"/><current_dc present=\"true\" version=\"2.1.5\" name=\"node1\" id=\"1\" with_quorum=\"true\" mixed_version=\"false\"/>")
            .Append("<last_update time=\"Thu Nov 26 10:52:32 2026\"/><nodes_configured number=\"16\"/><resources_configured number=\"1000\" disabled=\"0\" blocked=\"0\"/></summary><nodes>");
        for (var n = 1; n <= nodes; n++)
            xml.Append($"<node name=\"node{n}\" id=\"{n}\" online=\"{($"node{n}" != offlineNode ? "true" : "false")}\" standby=\"false\" standby_onfail=\"false\" maintenance=\"false\" pending=\"false\" unclean=\"false\" health=\"green\" shutdown=\"false\" expected_up=\"true\" is_dc=\"{(n == 1 ? "true" : "false")}\" resources_running=\"60\" type=\"member\"/>");
        xml.Append("</nodes><resources>");
        for (var i = 0; i < 600; i++) Primitive(xml, $"vip{i}", "ocf:heartbeat:IPaddr2", NodeOf(i));
        for (var i = 0; i < 300; i++) Primitive(xml, $"svc{i}", "systemd:nfs-ganesha", NodeOf(i * 7));
        for (var g = 0; g < 20; g++)
        {
            xml.Append($"<group id=\"grp{g}\" number_resources=\"3\" managed=\"true\" disabled=\"false\">");
            for (var m = 0; m < 3; m++) Primitive(xml, $"grp{g}-m{m}", "ocf:heartbeat:Filesystem", NodeOf(g));
            xml.Append("</group>");
        }
        for (var c = 0; c < 10; c++)
        {
            xml.Append($"<clone id=\"clone{c}\" multi_state=\"false\" unique=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\" failure_ignored=\"false\">");
            for (var n = 1; n <= nodes; n++)
                Primitive(xml, $"cloned{c}", "ocf:pacemaker:ping", $"node{n}" == offlineNode ? null : $"node{n}");
            xml.Append("</clone>");
        }
        return xml.Append("</resources><status code=\"0\" message=\"OK\"/></pacemaker-result>").ToString();
    }

    private static void Primitive(StringBuilder xml, string id, string agent, string? node)
    {
        var running = node is not null;
        xml.Append($"<resource id=\"{id}\" resource_agent=\"{agent}\" role=\"{(running ? "Started" : "Stopped")}\" active=\"{(running ? "true" : "false")}\" orphaned=\"false\" blocked=\"false\" managed=\"true\" failed=\"false\" failure_ignored=\"false\" nodes_running_on=\"{(running ? 1 : 0)}\">");
        if (running) xml.Append($"<node name=\"{node}\" id=\"{node![4..]}\" cached=\"true\"/>");
        xml.Append("</resource>");
    }
}
