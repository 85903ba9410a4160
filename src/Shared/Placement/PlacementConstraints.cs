using System.Xml.Linq;

namespace StorageHa.Shared.Placement;

/// <summary>A plan as Pacemaker location constraints, as the CIB holds them.</summary>
public static class PlacementConstraints
{
    /// <summary>
    /// One <c>rsc_location</c> per VIP and node: the preference scores, then -INFINITY for avoided nodes. The ids are
    /// pcs's (location-RSC-NODE-SCORE), so a constraint made with <c>pcs constraint location</c> is the same element.
    /// </summary>
    public static IEnumerable<XElement> LocationElements(PlacementPlan plan, Func<string, string> resourceId) =>
        from vip in plan.Vips
        let rsc = resourceId(vip.Vip)
        from score in vip.Scores.Select(s => (s.Node, Score: s.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(vip.Avoided.Select(n => (Node: n, Score: "-INFINITY")))
        select new XElement("rsc_location",
            new XAttribute("id", $"location-{rsc}-{score.Node}-{score.Score}"),
            new XAttribute("rsc", rsc),
            new XAttribute("node", score.Node),
            new XAttribute("score", score.Score));
}
