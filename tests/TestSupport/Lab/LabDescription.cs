using System.Text.Json;

namespace StorageHa.TestSupport.Lab;

/// <summary>The lab as `lab.sh up` describes it in $LAB_DIR/lab.json: what a test needs to reach and judge it.</summary>
public sealed record LabDescription(
    string LabDir,
    string LabCommand,
    string Prefix,
    string BridgeNamespace,
    string ClientNamespace,
    string ClientAddress,
    string Subnet,
    int PrefixLength,
    string Nic,
    string ClusterName,
    bool Formed,
    bool Ctdb,
    LabSsh Ssh,
    string SharedDirectory,
    IReadOnlyList<LabNode> Nodes,
    IReadOnlyList<string> FreeAddresses,
    string Init = "boot.sh",
    IReadOnlyList<LabUser>? Users = null,
    LabDomain? Ad = null,
    LabGluster? Gluster = null)
{
    /// <summary>The nodes run systemd as PID 1 (`up --systemd`): freshly installed Debian servers.</summary>
    public bool Systemd => Init == "systemd";

    /// <summary>A login besides root (systemd nodes have admin and clerk).</summary>
    public LabUser User(string name) =>
        Users?.SingleOrDefault(u => u.Name == name) ?? throw new ArgumentException($"The lab's nodes have no user {name}", nameof(name));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static LabDescription Load(string path) =>
        JsonSerializer.Deserialize<LabDescription>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no lab description");

    public LabNode Node(string name) =>
        Nodes.SingleOrDefault(n => n.Name == name) ?? throw new ArgumentException($"The lab has no node {name}", nameof(name));
}

/// <summary>One lab node. <see cref="HostKeyFingerprint"/> is OpenSSH's "SHA256:…" form; SSH.NET's
/// FingerPrintSHA256 is the same text without the "SHA256:" prefix. <see cref="Bmc"/>: its BMC (`up --bmc`; null without).</summary>
public sealed record LabNode(
    string Name,
    string Namespace,
    string Address,
    int SshPort,
    string HostKey,
    string HostKeyFingerprint,
    string Directory,
    LabBmc? Bmc = null);

/// <summary>
/// A node's BMC (`lab.sh up --bmc`): OpenIPMI's ipmi_sim speaking IPMI 2.0 (lanplus) at <see cref="Address"/>:<see cref="Port"/>
/// in the management namespace <see cref="Namespace"/> on the lab's switch (reachable from the nodes and the client
/// namespace), with one user and a password of its own. Its chassis power acts on that node through lab.sh: off is a
/// crash, on a start (in the background: the BMC answers "on" while the node boots and rejoins), status its state.
/// It keeps answering while its node is off; `lab.sh bmc stop|start NODE` takes the BMC itself away and back.
/// </summary>
/// <param name="Agent">The fence agent that works against it, "fence_ipmilan".</param>
/// <param name="Options">The agent's options as a Pacemaker fence device takes them (ip, ipport, username, password,
/// lanplus=1, cipher=3: without cipher 3 ipmitool first asks for cipher suites, which ipmi_sim does not answer, and
/// every action takes 14-75 s instead of 0.1-4.4 s).</param>
public sealed record LabBmc(
    string Address,
    int Port,
    string User,
    string Password,
    string Namespace,
    string Agent,
    IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The agent's command line for <paramref name="action"/> (status, on, off, reboot, monitor): each option
    /// as --NAME=VALUE, the flag lanplus as --lanplus; <paramref name="password"/> instead of the BMC's own.</summary>
    public IReadOnlyList<string> FenceCommand(string action, string? password = null) =>
    [
        Agent,
        .. Options.Select(o => o.Key switch
        {
            "lanplus" => "--lanplus",
            "password" => $"--password={password ?? o.Value}",
            _ => $"--{o.Key}={o.Value}",
        }),
        $"--action={action}",
    ];
}

/// <summary>How to log in to every node: as <see cref="User"/> with <see cref="ClientKey"/>, checking hosts against <see cref="KnownHosts"/>.</summary>
public sealed record LabSsh(string User, string ClientKey, string KnownHosts);

/// <summary>A login on every node with the lab's client key. <see cref="Sudo"/>: "nopasswd" (sudo -n works) or
/// "password" (sudo asks for <see cref="Password"/>, so sudo -n fails).</summary>
public sealed record LabUser(string Name, string Sudo, string? Password = null);

/// <summary>
/// The lab's Active Directory domain (`lab.sh up --ad`; null without): a Samba AD DC on the lab network that every
/// node's resolver asks (and whose name is in every node's /etc/hosts). The nodes have no krb5.conf or winbind
/// nsswitch.conf from the lab: joining the domain is the console's job.
/// </summary>
/// <param name="Realm">The Kerberos realm, "LAB.TEST".</param>
/// <param name="DnsDomain">The domain's DNS name, "lab.test" (the DC serves its zone, forwarding nothing).</param>
/// <param name="Workgroup">The NetBIOS domain name, "LAB" (users log in as LAB\alice).</param>
/// <param name="Administrator">The domain's Administrator and its password (the account a join uses).</param>
/// <param name="Users">Test users, each with its strong password and its groups (alice and bob in staff, carol in none).</param>
/// <param name="Groups">Test groups ("staff").</param>
public sealed record LabDomain(
    string Realm,
    string DnsDomain,
    string Workgroup,
    LabDomainController Dc,
    LabDomainAccount Administrator,
    IReadOnlyList<LabDomainUser> Users,
    IReadOnlyList<string> Groups)
{
    public LabDomainUser User(string name) =>
        Users.SingleOrDefault(u => u.Name == name) ?? throw new ArgumentException($"The lab's domain has no user {name}", nameof(name));

    /// <summary>The test users in <paramref name="group"/>.</summary>
    public IReadOnlyList<LabDomainUser> MembersOf(string group) => Users.Where(u => u.Groups.Contains(group)).ToList();
}

/// <summary>
/// The domain controller: host <see cref="HostName"/> ("dc.lab.test") at <see cref="Address"/> in network namespace
/// <see cref="Namespace"/>; its disk (Samba's directories) under <see cref="Directory"/>/fs. `lab.sh dc stop|start`
/// powers it off (unreachable) and on, `dc clock SECONDS` sets its clock off the nodes', `dc exec CMD…` runs
/// samba-tool and the like inside it.
/// </summary>
public sealed record LabDomainController(string Name, string HostName, string Address, string Namespace, string Directory);

/// <summary>A domain account and its password.</summary>
public sealed record LabDomainAccount(string Name, string Password);

/// <summary>A test user of the domain, its password and the groups it is a member of.</summary>
public sealed record LabDomainUser(string Name, string Password, IReadOnlyList<string> Groups);

/// <summary>
/// The lab's GlusterFS volume (`lab.sh up --gluster`; null without): glusterd in every node and a started volume with
/// one brick per node (replica = the node count; two nodes make replica 2, which Gluster warns is prone to
/// split-brain). Not mounted by the lab: the console mounts <see cref="Device"/> (the same
/// string on every node, which Samba's vfs_fileid needs) at a mount point such as <see cref="MountPoint"/>.
/// `lab.sh gluster status`, `heal-info [--wait SECONDS]`, `brick-kill NODE`, `brick-start NODE` inspect and break it.
/// </summary>
/// <param name="Volume">The volume's name, "labvol".</param>
/// <param name="Replica">Copies of every file: one per node.</param>
/// <param name="Device">What a node mounts, "localhost:/labvol" (mount -t <see cref="FsType"/>; ocf:heartbeat:Filesystem's device=).</param>
/// <param name="FsType">"glusterfs".</param>
/// <param name="BrickPath">The brick's directory, the same on every node and on the node's own disk ("/srv/gluster/labvol").</param>
/// <param name="MountPoint">Where the console should mount it: on every node's own disk ("/srv/labvol"; a namespace node's /mnt is the host's).</param>
/// <param name="Bricks">One brick a node, named as Gluster names it ("192.0.2.11:/srv/gluster/labvol").</param>
/// <param name="Options">The volume options the lab set: the timeouts without which a write blocks 76 s after a node's power loss.</param>
public sealed record LabGluster(
    string Volume,
    int Replica,
    string Device,
    string FsType,
    string BrickPath,
    string MountPoint,
    IReadOnlyList<LabBrick> Bricks,
    IReadOnlyDictionary<string, string> Options)
{
    public LabBrick Brick(string node) =>
        Bricks.SingleOrDefault(b => b.Node == node) ?? throw new ArgumentException($"The lab's volume has no brick on {node}", nameof(node));
}

/// <summary>A node's brick: <see cref="Name"/> is Gluster's "ADDRESS:PATH", as `gluster volume status` lists it.</summary>
public sealed record LabBrick(string Node, string Address, string Name);
