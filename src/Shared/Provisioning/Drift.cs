using System.Globalization;
using System.Xml.Linq;
using System.Xml.XPath;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

public enum DriftKind
{
    /// <summary>The spec wants it and the cluster does not have it.</summary>
    Missing,
    /// <summary>Both have it, with different settings.</summary>
    Changed,
    /// <summary>The cluster has it and the spec does not know it.</summary>
    Extra,
}

/// <summary>
/// One way the live CIB differs from the spec, in the admin's words. <see cref="ReapplyFixes"/>: applying the spec again
/// puts it back as the spec says. <see cref="Import"/>: the virtual IP to add to (or change in) the inventory to keep the
/// cluster's version instead.
/// </summary>
public sealed record DriftItem(DriftKind Kind, string Resource, string What, bool ReapplyFixes, VirtualIpSpec? Import = null)
{
    public bool Importable => Import is not null;
}

public sealed record DriftReport(IReadOnlyList<DriftItem> Items)
{
    public bool InSync => Items.Count == 0;
}

/// <summary>
/// Compares a live CIB (as <c>cibadmin --query</c> prints it) with the plan of the spec: every batch command whose check
/// fails on it is something a re-apply would change, and every resource no command accounts for is something the spec
/// does not know. Pure: the caller fetches the CIB.
/// </summary>
public static class Drift
{
    public static DriftReport Find(Plan plan, string cibXml)
    {
        var cib = XDocument.Parse(cibXml);
        var edits = plan.CibEdits;
        var failing = edits.Where(e => !cib.XPathSelectElements(e.CheckXPath).Any()).ToList();
        bool Fails(CibSubjectKind kind, string? vip = null) => failing.Any(e => e.Subject.Kind == kind && (vip is null || e.Subject.Vip == vip));
        var items = new List<DriftItem>();
        var vips = edits.Where(e => e.Subject.Kind == CibSubjectKind.VirtualIp).Select(e => e.Subject.Vip!).ToList();

        if (failing.FirstOrDefault(e => e.Subject.Kind == CibSubjectKind.Properties) is { } properties)
            items.Add(Properties(properties, cib));
        // A missing Filesystem resource is reported missing below; one that is there differs in its settings.
        if (failing.FirstOrDefault(e => e.Subject.Kind == CibSubjectKind.StorageSettings) is { } storage
            && cib.XPathSelectElement($"//primitive[@id='{storage.Subject.Name}']") is { } mount)
            items.Add(StorageSettings(storage, mount));

        foreach (var id in vips)
        {
            if (Fails(CibSubjectKind.VirtualIp, id))
            {
                items.Add(new(DriftKind.Missing, id, $"Virtual IP {Address(edits, id)} is not in the cluster.", ReapplyFixes: true));
                continue;
            }
            if (failing.FirstOrDefault(e => e.Subject is { Kind: CibSubjectKind.VipSettings } s && s.Vip == id) is { } settings)
                items.Add(VipSettings(settings, cib.XPathSelectElement($"//primitive[@id='{id}']")!));
            if (Fails(CibSubjectKind.VipPlacement, id))
                items.Add(Placement(edits, id, cib));
        }

        var extraVips = ExtraVips(cib, vips, items);
        var vipSetChanged = extraVips || items.Any(i => i.Kind == DriftKind.Missing && vips.Contains(i.Resource));
        // A missing VIP's own agents (its tickle, its NFS grace) went with it: the VIP missing already says so.
        var missingVips = items.Where(i => i.Kind == DriftKind.Missing && vips.Contains(i.Resource)).Select(i => i.Resource).ToHashSet(StringComparer.Ordinal);
        foreach (var edit in failing.Where(e => e.Subject.Kind is CibSubjectKind.Other or CibSubjectKind.VipSets && !(e.Subject.Vip is { } v && missingVips.Contains(v))))
        {
            // The sets list every VIP: a VIP missing or extra already says why they differ.
            if (vipSetChanged && edit.Subject.Kind == CibSubjectKind.VipSets) continue;
            var description = Lower(plan.Steps.First(s => ReferenceEquals(s.Action, edit)).Description);
            items.Add(edit is RemoveFromCib
                ? new(DriftKind.Changed, edit.Subject.Name, $"Not as the spec wants: {description}.", ReapplyFixes: true)
                : new(DriftKind.Missing, edit.Subject.Name, $"Missing: {description}.", ReapplyFixes: true));
        }

        ExtraResources(cib, edits, items);
        return new DriftReport(items);
    }

    private static DriftItem Properties(EditCib edit, XDocument cib)
    {
        var wanted = CibXml.Settings(edit.Written!);
        var differ = wanted.Select(w => (w.Key, Wanted: w.Value, Live: Property(cib, w.Key)))
            .Where(p => p.Live != p.Wanted).Select(p => $"{p.Key} is {p.Live ?? "not set"}, the spec wants {p.Wanted}");
        return new(DriftKind.Changed, "cluster properties", $"Cluster properties: {string.Join("; ", differ)}.", ReapplyFixes: true);
    }

    private static DriftItem VipSettings(EditCib edit, XElement primitive)
    {
        var id = primitive.Attribute("id")!.Value;
        return new(DriftKind.Changed, id, $"Virtual IP {CibXml.Settings(edit.Written!).First(w => w.Key == "ip").Value} was changed in the cluster: {SettingsDiffer(edit, primitive, VipSettingNames)}.",
            ReapplyFixes: true, Import: VipOf(primitive));
    }

    private static DriftItem StorageSettings(EditCib edit, XElement primitive)
    {
        var id = primitive.Attribute("id")!.Value;
        var live = primitive.Elements("instance_attributes").Elements("nvpair").Select(n => n.Attribute("name")!.Value);
        return new(DriftKind.Changed, id, $"The cluster filesystem's resource {id} was changed in the cluster: {SettingsDiffer(edit, primitive, live)}. " +
            "Re-apply sets it back as the spec says, which remounts it on every node (the services above it restart).", ReapplyFixes: true);
    }

    /// <summary>
    /// How a primitive's settings differ from those the step replaces them with: one the spec does not give, among
    /// <paramref name="alsoCompared"/>, is wanted "not set".
    /// </summary>
    private static string SettingsDiffer(EditCib edit, XElement primitive, IEnumerable<string> alsoCompared)
    {
        var written = CibXml.Settings(edit.Written!).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        var names = written.Keys.Union(alsoCompared, StringComparer.Ordinal).ToList();
        return string.Join("; ", names.Select(n => (Name: n, Wanted: written.GetValueOrDefault(n, ""), Live: Attribute(primitive, n)))
            .Where(s => (s.Live ?? "") != s.Wanted)
            .Select(s => $"{s.Name} is {s.Live ?? "not set"}, the spec says {(s.Wanted.Length == 0 ? "not set" : s.Wanted)}"));
    }

    private static DriftItem Placement(IReadOnlyList<EditCib> edits, string id, XDocument cib)
    {
        // The preferences and the nodes avoided (-INFINITY): the scores the spec wants.
        var wanted = edits.Where(e => e.Subject.Kind == CibSubjectKind.VipPlacement && e.Subject.Vip == id).Select(e => e.Written).OfType<XElement>()
            .SelectMany(w => w.Elements("rsc_location")).Select(l => $"{l.Attribute("node")!.Value}={l.Attribute("score")!.Value}");
        var live = cib.XPathSelectElements($"//rsc_location[@rsc='{id}' and @node]")
            .Select(l => $"{l.Attribute("node")!.Value}={l.Attribute("score")?.Value ?? l.Attribute("score-attribute")?.Value}");
        return new(DriftKind.Changed, id, $"Placement of {Address(edits, id)} was changed in the cluster: its scores are " +
            $"{Join(live)}, the spec gives {Join(wanted)}.", ReapplyFixes: true);
    }

    /// <summary>IPaddr2 resources the spec has no VIP for: importable; the console's own (vip-…) are also removed by a re-apply.</summary>
    private static bool ExtraVips(XDocument cib, IReadOnlyList<string> vips, List<DriftItem> items)
    {
        var found = false;
        foreach (var primitive in cib.XPathSelectElements("//primitive[@type='IPaddr2']").Where(p => !vips.Contains(p.Attribute("id")!.Value)))
        {
            found = true;
            var id = primitive.Attribute("id")!.Value;
            var vip = VipOf(primitive);
            var ours = id.StartsWith("vip-", StringComparison.Ordinal) && primitive.Parent?.Name == "resources";
            var address = vip is null ? "with no ip" : $"{vip.Address}/{vip.Prefix}" + (vip.Nic is null ? "" : $" on {vip.Nic}");
            items.Add(new(DriftKind.Extra, id, $"Virtual IP {address} ({id}) is in the cluster but not in the spec: " + (ours
                ? "re-apply removes it; import keeps it by adding it to the inventory."
                : "the console did not create it, so re-apply leaves it; import adds it to the inventory (then delete " +
                  $"{id} with pcs: the console creates its own resource for it)."), ReapplyFixes: ours, Import: vip));
        }
        return found;
    }

    /// <summary>Other resources that no command of the plan creates: the console never removes what it does not know.</summary>
    private static void ExtraResources(XDocument cib, IReadOnlyList<EditCib> edits, List<DriftItem> items)
    {
        var known = edits.Select(e => e.Written).OfType<XElement>().SelectMany(w => w.DescendantsAndSelf()).Select(e => e.Attribute("id")?.Value).OfType<string>()
            .Concat(edits.OfType<PcsOnCib>().Select(p => p.ResourceId)).ToHashSet(StringComparer.Ordinal);
        foreach (var resource in cib.XPathSelectElements("/cib/configuration/resources/*"))
        {
            var id = resource.Attribute("id")?.Value;
            if (id is null || known.Contains(id) || resource.DescendantsAndSelf("primitive").Any(p => p.Attribute("type")?.Value == "IPaddr2")) continue;
            var consoles = ConsoleIds.Contains(id) || id.StartsWith("fence-", StringComparison.Ordinal);
            items.Add(new(DriftKind.Extra, id, consoles
                ? $"{id} is a resource the console creates, for something the spec no longer has: re-apply does not remove services; delete it with pcs if it is no longer wanted."
                : $"{id} ({Agent(resource)}) is in the cluster but not in the spec: the console leaves it alone.", ReapplyFixes: false));
        }
    }

    private static readonly HashSet<string> ConsoleIds = new(StringComparer.Ordinal)
    {
        ResourceIds.CtdbClone, ResourceIds.SambaClone(true), ResourceIds.SambaClone(false), ResourceIds.GaneshaClone, ResourceIds.StorageClone,
    };

    private static VirtualIpSpec? VipOf(XElement primitive)
    {
        var ip = Attribute(primitive, "ip");
        if (ip is null) return null;
        var prefix = int.TryParse(Attribute(primitive, "cidr_netmask"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 24;
        return new VirtualIpSpec { Address = ip, Prefix = prefix, Nic = Attribute(primitive, "nic") };
    }

    private static string Address(IReadOnlyList<EditCib> edits, string id) =>
        Attribute(edits.Single(e => e.Subject.Kind == CibSubjectKind.VirtualIp && e.Subject.Vip == id).Written!, "ip")!;

    private static readonly string[] VipSettingNames = ["ip", "cidr_netmask", "nic"];

    private static string? Attribute(XElement primitive, string name) =>
        primitive.Elements("instance_attributes").Elements("nvpair").FirstOrDefault(n => n.Attribute("name")?.Value == name)?.Attribute("value")?.Value;

    private static string? Property(XDocument cib, string name) =>
        cib.XPathSelectElements($"/cib/configuration/crm_config/cluster_property_set/nvpair[@name='{name}']").FirstOrDefault()?.Attribute("value")?.Value;

    private static string Agent(XElement resource) =>
        resource.DescendantsAndSelf("primitive").FirstOrDefault() is { } p
            ? string.Join(':', new[] { p.Attribute("class")?.Value, p.Attribute("provider")?.Value, p.Attribute("type")?.Value }.OfType<string>())
            : resource.Name.LocalName;

    private static string Join(IEnumerable<string> scores) => scores.Order(StringComparer.Ordinal).ToList() is { Count: > 0 } s ? string.Join(", ", s) : "none";

    private static string Lower(string description) => char.ToLowerInvariant(description[0]) + description[1..];
}
