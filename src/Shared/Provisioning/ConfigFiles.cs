using System.Globalization;
using System.Text;
using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Provisioning;

/// <summary>The files the plan writes on the nodes, rendered deterministically ('\n' line ends, fixed order).</summary>
public static class ConfigFiles
{
    public const string CorosyncConfPath = "/etc/corosync/corosync.conf";
    public const string AuthkeyPath = "/etc/corosync/authkey";
    public const string CtdbNodesPath = "/etc/ctdb/nodes";
    public const string CtdbTunablesPath = "/etc/ctdb/ctdb.tunables";
    public const string SmbConfPath = "/etc/samba/smb.conf";
    public const string GaneshaConfPath = "/etc/ganesha/ganesha.conf";
    public const string CibPath = "/var/lib/pacemaker/cib/cib.xml";
    public const string Krb5ConfPath = "/etc/krb5.conf";
    public const string NsswitchPath = "/etc/nsswitch.conf";

    /// <summary>How long a starting node waits for the others before the first DC election (Pacemaker's default is 20 s).</summary>
    public const string DcDeadtime = "5s";

    /// <summary>
    /// The CIB a node that never ran the cluster starts with: empty but for dc-deadtime, so the first election waits
    /// <see cref="DcDeadtime"/>, not 20 s. Version 0.0.0: any CIB of a running cluster is newer, so a joining node takes that one.
    /// </summary>
    public static string SeedCib =>
        "<cib validate-with=\"pacemaker-3.0\" epoch=\"0\" num_updates=\"0\" admin_epoch=\"0\">\n" +
        "  <configuration>\n    <crm_config>\n      <cluster_property_set id=\"cib-bootstrap-options\">\n" +
        $"        <nvpair id=\"cib-bootstrap-options-dc-deadtime\" name=\"dc-deadtime\" value=\"{DcDeadtime}\"/>\n" +
        "      </cluster_property_set>\n    </crm_config>\n    <nodes/>\n    <resources/>\n    <constraints/>\n  </configuration>\n  <status/>\n</cib>\n";

    /// <summary>The console's own records on a node: copies of the files as the running daemons last loaded them.</summary>
    public const string StateDirectory = "/var/lib/storageha";
    public const string CorosyncLoadedPath = StateDirectory + "/corosync.conf.loaded";
    public const string CtdbNodesLoadedPath = StateDirectory + "/ctdb-nodes.loaded";
    /// <summary>The server's own files as they were before the console first wrote them, for a teardown to give back.</summary>
    public const string OriginalsDirectory = StateDirectory + "/originals";
    /// <summary>The units systemd started at boot until the cluster took them over, and the ones the console made start at boot.</summary>
    public const string HandedOverUnitsPath = StateDirectory + "/units-handed-over";
    public const string EnabledUnitsPath = StateDirectory + "/units-enabled";

    /// <summary>knet with encryption, the nodes by address in the spec's order, each with its number as node id; two_node for two nodes.</summary>
    public static string CorosyncConf(ClusterSpec spec)
    {
        var s = new StringBuilder();
        s.Append("# Written by StorageHa; the console rewrites it from the cluster's spec.\n");
        s.Append("totem {\n    version: 2\n");
        s.Append($"    cluster_name: {spec.Name}\n");
        s.Append("    transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n");
        if (spec.Corosync.TokenMs is { } token) s.Append(CultureInfo.InvariantCulture, $"    token: {token}\n");
        s.Append("}\n\nnodelist {\n");
        foreach (var node in spec.Nodes)
            s.Append(CultureInfo.InvariantCulture, $"    node {{\n        ring0_addr: {node.Address}\n        name: {node.Name}\n        nodeid: {node.Number}\n    }}\n");
        s.Append("}\n\nquorum {\n    provider: corosync_votequorum\n");
        if (spec.Nodes.Count == 2) s.Append("    two_node: 1\n");
        s.Append("}\n\nlogging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n    to_syslog: yes\n    timestamp: on\n}\n");
        return s.ToString();
    }

    /// <summary>CTDB's private addresses: line N is node number N, the same on every node.</summary>
    public static string CtdbNodes(ClusterSpec spec) => CtdbNodes(spec, []);

    /// <summary>
    /// A number without a node, or with one of <paramref name="removed"/>, is a line of just "#": CTDB reads it as a deleted
    /// node, so the nodes after it keep their numbers (a missing line would renumber them, which CTDB refuses). The lines
    /// go up to the highest number any node has had (<see cref="ClusterSpec.HighestNodeNumber"/>).
    /// </summary>
    public static string CtdbNodes(ClusterSpec spec, IReadOnlyCollection<string> removed)
    {
        var byNumber = spec.Nodes.Where(n => !removed.Contains(n.Name)).ToDictionary(n => n.Number, n => n.Address);
        var highest = spec.HighestNumberEver();
        return string.Concat(Enumerable.Range(1, highest).Select(i => byNumber.GetValueOrDefault(i, "#") + "\n"));
    }

    public static string CtdbTunables(ClusterSpec spec) =>
        string.Concat(spec.CtdbTunables.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key}={t.Value}\n")));

    /// <summary>The VFS modules smb.conf loads for every share: fileid gives a file the same id on every node.</summary>
    public static IReadOnlyList<string> VfsModules { get; } = ["fileid"];

    /// <summary>
    /// The cluster-safe stub: shares and settings live in the registry that CTDB replicates, so this file is the same on
    /// every node and never changes when shares do. One NetBIOS name for all nodes, fileid for device+inode locking keys.
    /// </summary>
    public static string SmbConf(ClusterSpec spec)
    {
        var s = new StringBuilder();
        s.Append("# Written by StorageHa. Shares live in the cluster-wide registry (net conf), not here.\n");
        s.Append("[global]\n");
        s.Append("\tclustering = yes\n");
        s.Append("\tctdbd socket = /run/ctdb/ctdbd.socket\n");
        s.Append("\tctdb:registry.tdb = yes\n");
        s.Append($"\tnetbios name = {spec.Name.ToUpperInvariant()}\n");
        s.Append("\tpassdb backend = tdbsam\n");
        if (!spec.NetBios) s.Append("\tdisable netbios = yes\n");
        s.Append("\tload printers = no\n\tprinting = bsd\n\tdisable spoolss = yes\n");
        s.Append($"\tvfs objects = {string.Join(' ', VfsModules)}\n\tfileid:algorithm = fsname\n");
        s.Append("\tregistry shares = yes\n");
        s.Append("\tinclude = registry\n");
        return s.ToString();
    }

    /// <summary>
    /// Kerberos for the domain: its KDCs found through DNS, as the join and winbind need them. rdns off, because a KDC
    /// behind a name whose reverse lookup differs would otherwise be refused.
    /// </summary>
    public static string Krb5Conf(ActiveDirectorySpec ad) =>
        "# Written by StorageHa for the cluster's Active Directory domain.\n" +
        $"[libdefaults]\n\tdefault_realm = {ad.Realm}\n\tdns_lookup_realm = false\n\tdns_lookup_kdc = true\n\trdns = false\n" +
        $"\n[domain_realm]\n\t.{ad.DnsDomain} = {ad.Realm}\n\t{ad.DnsDomain} = {ad.Realm}\n";

    /// <summary>
    /// The [global] settings of a domain member, written once into the registry that CTDB replicates (so every node has
    /// them): security, realm, workgroup, the idmap ranges, and winbind as smbd needs it.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DomainGlobals(ActiveDirectorySpec ad)
    {
        var globals = new List<KeyValuePair<string, string>>
        {
            new("security", "ads"),
            new("realm", ad.Realm),
            new("workgroup", ad.Workgroup),
        };
        if (ad.Idmap == IdmapBackend.Autorid)
        {
            globals.Add(new("idmap config * : backend", "autorid"));
            globals.Add(new("idmap config * : range", ad.IdmapRange.ToString()));
            globals.Add(new("idmap config * : rangesize", ad.IdmapRangeSize.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            // idmap_rid(8): rid cannot be the default backend; the default keeps BUILTIN and other domains in idmap_tdb.
            globals.Add(new("idmap config * : backend", "tdb"));
            globals.Add(new("idmap config * : range", ad.IdmapRange.ToString()));
            globals.Add(new($"idmap config {ad.Workgroup} : backend", "rid"));
            globals.Add(new($"idmap config {ad.Workgroup} : range", ad.DomainRange!.ToString()));
        }
        // Users log in as DOMAIN\user and are named so in share settings: with one join, no short-name ambiguity.
        globals.Add(new("winbind use default domain", "no"));
        globals.Add(new("winbind refresh tickets", "yes"));
        globals.Add(new("winbind enum users", "no"));
        globals.Add(new("winbind enum groups", "no"));
        // Domain users log in to shares, never to a shell.
        globals.Add(new("template shell", "/usr/sbin/nologin"));
        globals.Add(new("kerberos method", "secrets and keytab"));
        return globals;
    }

    /// <summary>The domain's [global] settings one per line, as the registry-globals script reads them: "name = value".</summary>
    public static string GlobalsLines(IEnumerable<KeyValuePair<string, string>> globals) =>
        string.Concat(globals.Select(g => $"{g.Key} = {g.Value}\n"));

    /// <summary>One share as <c>net conf import</c> takes it and <c>net conf showshare</c> prints it back.</summary>
    public static string ShareSection(ShareSpec share)
    {
        var s = new StringBuilder();
        s.Append($"[{share.Name}]\n");
        s.Append($"\tpath = {share.Path}\n");
        if (!string.IsNullOrEmpty(share.Comment)) s.Append($"\tcomment = {share.Comment}\n");
        s.Append($"\tread only = {YesNo(share.ReadOnly)}\n");
        s.Append($"\tguest ok = {YesNo(share.GuestOk)}\n");
        List("valid users", share.ValidUsers);
        List("read list", share.ReadList);
        List("write list", share.WriteList);
        List("admin users", share.AdminUsers);
        if (share.AccessBasedEnumeration) s.Append("\taccess based share enum = yes\n");
        return s.ToString();

        void List(string parameter, IReadOnlyList<SmbPrincipal> principals)
        {
            if (principals.Count > 0) s.Append($"\t{parameter} = {SmbPrincipal.RenderList(principals)}\n");
        }
    }

    /// <summary>
    /// How Ganesha reaches an export's files: its VFS backend needs the kernel's file handles (name_to_handle_at), which a
    /// FUSE mount lacks, so an export on a GlusterFS volume goes through Gluster's own backend (libgfapi) at its path
    /// inside the volume (volpath; without it the volume's root is exported); clients keep the export's path.
    /// </summary>
    public static string GaneshaBackend(StorageSpec? storage, string path) =>
        storage is { Mounting: StorageMounting.ByCluster, Type: ClusterFilesystem.GlusterFs } && storage.Holds(path)
            && GlusterVolumeAddress.Parse(storage.Device) is { } volume
            ? $"\tFSAL {{\n\t\tName = GLUSTER;\n\t\tHostname = \"{volume.Server}\";\n\t\tVolume = \"{volume.Volume}\";\n" +
              $"\t\tvolpath = \"{volume.PathInVolume(storage.MountPoint, path)}\";\n\t}}\n"
            : "\tFSAL {\n\t\tName = VFS;\n\t}\n";

    /// <summary>NFSv4 only, with the spec's exports (ids 1…N in the spec's order) and this node's recovery directory.</summary>
    public static string GaneshaConf(ClusterSpec spec, string node)
    {
        var s = new StringBuilder();
        s.Append($"# Written by StorageHa for {node}.\n");
        s.Append("NFS_CORE_PARAM {\n\tProtocols = 4;\n\tNFS_Port = 2049;\n\tEnable_NLM = false;\n\tEnable_RQUOTA = false;\n}\n\n");
        s.Append("NFSv4 {\n\tRecoveryBackend = fs;\n");
        s.Append($"\tRecoveryRoot = \"{GaneshaRecoveryRoot(spec, node)}\";\n");
        s.Append("\tGrace_Period = 90;\n}\n");
        for (var i = 0; i < spec.Exports.Count; i++)
        {
            var e = spec.Exports[i];
            var everyone = e.Clients.Trim() == "*";
            var access = e.Access == ExportAccess.ReadOnly ? "RO" : "RW";
            s.Append(CultureInfo.InvariantCulture, $"\nEXPORT {{\n\tExport_Id = {i + 1};\n");
            s.Append($"\tPath = \"{e.Path}\";\n\tPseudo = \"{e.Path}\";\n\tProtocols = 4;\n");
            s.Append($"\tAccess_Type = {(everyone ? access : "None")};\n\tSquash = Root_Squash;\n");
            s.Append(GaneshaBackend(spec.Storage, e.Path));
            if (!everyone)
            {
                // Bare tokens: Ganesha 4 refuses a quoted client ("Expected a client, got a double quoted string") and
                // drops the whole export. InputRules.ExportClients lets only addresses, networks and host names through.
                var clients = string.Join(", ", e.Clients.Split(',').Select(c => c.Trim()));
                s.Append($"\tCLIENT {{\n\t\tClients = {clients};\n\t\tAccess_Type = {access};\n\t}}\n");
            }
            s.Append("}\n");
        }
        return s.ToString();
    }

    public static string GaneshaRecoveryRoot(ClusterSpec spec, string node) =>
        spec.SharedState!.GaneshaState!.TrimEnd('/') + "/" + node;

    private static string YesNo(bool value) => value ? "yes" : "no";
}
