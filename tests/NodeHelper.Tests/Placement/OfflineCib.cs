using System.Diagnostics;
using System.Xml.Linq;

namespace StorageHa.NodeHelper.Tests.Placement;

/// <summary>
/// A CIB file worked on by the real Pacemaker tools with no daemon running (tier 1): cibadmin writes it,
/// crm_simulate runs transitions on it, crm_mon reads it back.
/// </summary>
internal sealed class OfflineCib : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("storageha-cib-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "cib.xml");

    public static void RequireTools()
    {
        foreach (var tool in new[] { "cibadmin", "crm_simulate", "crm_mon" })
            if (!new[] { "/usr/sbin", "/usr/bin" }.Any(dir => File.Exists(System.IO.Path.Combine(dir, tool))))
                Assert.Fail($"{tool} is not installed: this test needs the real Pacemaker tools (apt-get install -y pacemaker pacemaker-cli-utils).");
    }

    public OfflineCib()
    {
        RequireTools();
        File.WriteAllText(Path, Run(["cibadmin", "--empty"]));
    }

    /// <summary>Replaces one section of the configuration in a single cibadmin call.</summary>
    public void Replace(XElement section) =>
        Run(["cibadmin", "--replace", "-o", section.Name.LocalName, "--xml-text", section.ToString(SaveOptions.DisableFormatting)], Path);

    /// <summary>Adds a section the empty CIB does not have (e.g. rsc_defaults) under configuration.</summary>
    public void Add(XElement section) =>
        Run(["cibadmin", "--create", "-o", "configuration", "--xml-text", section.ToString(SaveOptions.DisableFormatting)], Path);

    /// <summary>Runs a simulated transition on the CIB and writes the resulting CIB to a new file.</summary>
    public string Simulate(string input, string name, IEnumerable<string> arguments)
    {
        var output = System.IO.Path.Combine(_directory, name + ".xml");
        Run(["crm_simulate", "-x", input, "-O", output, "-S", .. arguments]);
        return output;
    }

    /// <summary>Where each resource runs in a CIB file, as crm_mon reports it.</summary>
    public static IReadOnlyDictionary<string, string?> RunningNodes(string cibFile)
    {
        var xml = XDocument.Parse(Run(["crm_mon", "-1", "--output-as=xml"], cibFile));
        return xml.Descendants("resources").Elements("resource").ToDictionary(
            r => (string)r.Attribute("id")!,
            r => r.Elements("node").Select(n => (string?)n.Attribute("name")).SingleOrDefault());
    }

    public static string Run(string[] argv, string? cibFile = null)
    {
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in argv.Skip(1)) start.ArgumentList.Add(arg);
        if (cibFile is not null) start.Environment["CIB_file"] = cibFile;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', argv)} did not finish in 30 s");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"{string.Join(' ', argv)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
