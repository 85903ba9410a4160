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
    IReadOnlyList<LabUser>? Users = null)
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
/// FingerPrintSHA256 is the same text without the "SHA256:" prefix.</summary>
public sealed record LabNode(
    string Name,
    string Namespace,
    string Address,
    int SshPort,
    string HostKey,
    string HostKeyFingerprint,
    string Directory);

/// <summary>How to log in to every node: as <see cref="User"/> with <see cref="ClientKey"/>, checking hosts against <see cref="KnownHosts"/>.</summary>
public sealed record LabSsh(string User, string ClientKey, string KnownHosts);

/// <summary>A login on every node with the lab's client key. <see cref="Sudo"/>: "nopasswd" (sudo -n works) or
/// "password" (sudo asks for <see cref="Password"/>, so sudo -n fails).</summary>
public sealed record LabUser(string Name, string Sudo, string? Password = null);
