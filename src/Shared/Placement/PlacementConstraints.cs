using System.Xml.Linq;

namespace StorageHa.Shared.Placement;

/// <summary>A plan as Pacemaker location constraints: the CIB XML and the equivalent pcs arguments.</summary>
public static class PlacementConstraints
{
    /// <summary>One <c>rsc_location</c> per VIP and node: the preference scores, then -INFINITY for avoided nodes.</summary>
    public static IEnumerable<XElement> LocationElements(PlacementPlan plan, Func<string, string> resourceId) =>
        from vip in plan.Vips
        let rsc = resourceId(vip.Vip)
        from score in vip.Scores.Select(s => (s.Node, Score: s.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(vip.Avoided.Select(n => (Node: n, Score: "-INFINITY")))
        select new XElement("rsc_location",
            new XAttribute("id", $"location-{rsc}-{score.Node}"),
            new XAttribute("rsc", rsc),
            new XAttribute("node", score.Node),
            new XAttribute("score", score.Score));

    /// <summary>
    /// pcs arguments (to follow <c>pcs -f FILE</c>): one <c>constraint location RSC prefers NODE=SCORE…</c> per VIP,
    /// and one <c>… avoids NODE…</c> when it is restricted.
    /// </summary>
    public static IEnumerable<string[]> PcsArguments(PlacementPlan plan, Func<string, string> resourceId)
    {
        foreach (var vip in plan.Vips)
        {
            var rsc = resourceId(vip.Vip);
            yield return ["constraint", "location", rsc, "prefers", .. vip.Scores.Select(s => $"{s.Node}={s.Score}")];
            if (vip.Avoided.Count > 0) yield return ["constraint", "location", rsc, "avoids", .. vip.Avoided];
        }
    }
}
