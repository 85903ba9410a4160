using System.Runtime.Versioning;
using System.Security.Cryptography;
using StorageHa.Server.Deployment;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Ssh;

namespace StorageHa.Server.Tests.Deployment;

/// <summary>
/// Deploying storageha-node over SFTP to a real sshd, as its login user with passwordless sudo (files are installed
/// root-owned), into a temporary install root in that user's home (so the test machine's /usr is never touched): install, no-op re-deploy, corrupted upload, version per node.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class NodeHelperDeploymentTests(SshdFixture fixture) : IClassFixture<SshdFixture>, IDisposable
{
    private const string Actor = "alice";
    private readonly SshLayer _ssh = new(fixture.Sshd);
    private readonly TestBundle _bundle = TestBundle.FromServerOutput();
    // Inside the throwaway user's home: theirs to write, removed with the test sshd.
    private readonly NodeHelperLayout _layout = new(Path.Combine(fixture.Sshd.Directory, "home", $"node-{Guid.NewGuid():N}"));

    private NodeHelperDeployer Deployer => new(_ssh.Runner, new NodeHelperSettings { BundleDirectory = _bundle.Directory, Layout = _layout });
    private string AgentPath => $"{_layout.AgentDirectory}/{TestBundle.AgentName}";

    [Fact]
    public async Task FirstDeploy_InstallsBinaryAndAgents_Executable_ByteForByte_AndReportsTheVersion()
    {
        var package = NodeHelperPackage.Load(_bundle.Directory);

        var status = await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);

        Assert.Equal(package.Version, status.InstalledVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+", status.InstalledVersion);
        Assert.True(status.IsCurrent);
        Assert.Null(status.Problem);
        Assert.Equal(new[] { _layout.BinaryPath, AgentPath }, status.Replaced);
        foreach (var file in package.Files)
        {
            var installed = _layout.PathOf(file);
            Assert.Equal(await File.ReadAllBytesAsync(file.LocalPath), await File.ReadAllBytesAsync(installed));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(installed));
        }
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task Uploads_AreAudited_WithRemotePath_Size_AndSha256()
    {
        var package = NodeHelperPackage.Load(_bundle.Directory);

        await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);

        var uploads = _ssh.Audit.Entries.Where(e => e.Action == "sftp.upload").ToList();
        Assert.Equal(2, uploads.Count);
        var binary = uploads.Single(e => e.Command!.StartsWith(_layout.Root + "/usr/local/sbin/.storageha-node.upload-", StringComparison.Ordinal));
        Assert.Equal(Actor, binary.Actor);
        Assert.Equal(0, binary.ExitCode);
        Assert.Contains($"{package.Binary.Bytes} bytes", binary.Detail);
        Assert.Contains($"sha256 {package.Binary.Sha256}", binary.Detail);
    }

    [Fact]
    public async Task Redeploy_OfTheSameBuild_UploadsNothing_AndTheAuditShowsOnlyTheCheck()
    {
        await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);
        var installedAt = File.GetLastWriteTimeUtc(_layout.BinaryPath);
        var before = _ssh.Audit.Entries.Count;

        var status = await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);

        Assert.True(status.IsCurrent);
        Assert.Empty(status.Replaced);
        Assert.NotNull(status.InstalledVersion);
        var second = _ssh.Audit.Entries.Skip(before).ToList();
        Assert.NotEmpty(second);
        Assert.All(second, e => Assert.Equal("node.helper-check", e.Action));
        Assert.Equal(installedAt, File.GetLastWriteTimeUtc(_layout.BinaryPath));
    }

    [Fact]
    public async Task CorruptedUpload_IsDetectedOnTheNode_NamesBothHashes_AndInstallsNothing()
    {
        var package = NodeHelperPackage.Load(_bundle.Directory);
        // The bundle changes on disk after it was hashed: what reaches the node is not what the console vouches for.
        var sent = _bundle.FlipAByteOf(NodeHelperPackage.BinaryName);

        var error = await Assert.ThrowsAsync<CorruptedUploadException>(() => Deployer.DeployAsync(_ssh.PasswordTarget(), package, Actor));

        Assert.Contains($"corrupted upload of {_layout.BinaryPath}", error.Message);
        Assert.Contains($"expected {package.Binary.Sha256} got {sent}", error.Message);
        Assert.False(File.Exists(_layout.BinaryPath));
        Assert.False(File.Exists(AgentPath));
        Assert.Empty(Leftovers());
        Assert.DoesNotContain(_ssh.Audit.Entries, e => e.Command?.StartsWith("mv ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CorruptedUpgrade_LeavesTheInstalledHelperUntouched()
    {
        await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);
        var installedAgent = await File.ReadAllBytesAsync(AgentPath);
        _bundle.WriteAgent("#!/bin/sh\n# a newer agent\nexit 0\n");
        var newer = NodeHelperPackage.Load(_bundle.Directory);
        _bundle.FlipAByteOf($"ocf/{TestBundle.AgentName}");

        await Assert.ThrowsAsync<CorruptedUploadException>(() => Deployer.DeployAsync(_ssh.PasswordTarget(), newer, Actor));

        Assert.Equal(installedAgent, await File.ReadAllBytesAsync(AgentPath));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ChangedAgent_IsReplaced_AndTheUnchangedBinaryIsNotUploadedAgain()
    {
        await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);
        _bundle.WriteAgent("#!/bin/sh\n# a newer agent\nexit 0\n");
        var before = _ssh.Audit.Entries.Count;

        var status = await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);

        Assert.Equal(new[] { AgentPath }, status.Replaced);
        var upload = Assert.Single(_ssh.Audit.Entries.Skip(before), e => e.Action == "sftp.upload");
        Assert.StartsWith($"{_layout.AgentDirectory}/.{TestBundle.AgentName}.upload-", upload.Command);
        Assert.Equal("#!/bin/sh\n# a newer agent\nexit 0\n", await File.ReadAllTextAsync(AgentPath));
    }

    [Fact]
    public async Task Check_ReportsNotInstalled_ThenTheInstalledVersion_WithoutChangingAnything()
    {
        var fresh = await Deployer.CheckAsync(_ssh.PasswordTarget(), Actor);

        Assert.Null(fresh.InstalledVersion);
        Assert.False(fresh.IsCurrent);
        Assert.False(Directory.Exists(_layout.Root));

        await Deployer.DeployAsync(_ssh.PasswordTarget(), Actor);
        var deployed = await Deployer.CheckAsync(_ssh.PasswordTarget(), Actor);

        Assert.Equal(fresh.BundledVersion, deployed.InstalledVersion);
        Assert.True(deployed.IsCurrent);
        Assert.Empty(deployed.Replaced);
    }

    [Fact]
    public async Task InstallingWhereOnlyRootMayWrite_WithASudoThatWantsAPassword_FailsSayingRootIsNeeded_AndLeavesNothing()
    {
        // The test users may use sudo without a password; this one may not, so /usr/local stays out of its reach.
        await using var sshd = await StorageHa.TestSupport.Sshd.TestSshd.StartAsync(sudo: StorageHa.TestSupport.Sshd.TestSudo.PasswordRequired);
        using var ssh = new SshLayer(sshd);
        var deployer = new NodeHelperDeployer(ssh.Runner, new NodeHelperSettings { BundleDirectory = _bundle.Directory, Layout = new NodeHelperLayout("/") });

        var error = await Assert.ThrowsAnyAsync<NodeSshException>(() => deployer.DeployAsync(ssh.PasswordTarget(), Actor));

        Assert.Contains("root", error.Message);
        Assert.Empty(Directory.EnumerateFiles("/usr/local/sbin", ".storageha-node.upload-*"));
    }

    /// <summary>Hidden upload files beside the targets: none may survive a deploy, good or bad.</summary>
    private IEnumerable<string> Leftovers() =>
        new[] { Path.GetDirectoryName(_layout.BinaryPath)!, _layout.AgentDirectory }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, ".*.upload-*"));

    public void Dispose()
    {
        _ssh.Dispose();
        _bundle.Dispose();
    }
}

/// <summary>A copy of the bundle the Server build made (the real storageha-node), plus one OCF agent, in a temp folder tests may change.</summary>
internal sealed class TestBundle : IDisposable
{
    public const string AgentName = "storageha-test-agent";

    private TestBundle(string directory) => Directory = directory;

    public string Directory { get; }

    public static TestBundle FromServerOutput()
    {
        var built = Path.Combine(NodeHelperPackage.DefaultDirectory, NodeHelperPackage.BinaryName);
        if (!File.Exists(built))
            throw new InvalidOperationException($"{built} is missing: the Server build bundles storageha-node (see StorageHa.Server.csproj, target PublishNodeHelper).");
        var bundle = new TestBundle(System.IO.Directory.CreateTempSubdirectory("storageha-bundle-").FullName);
        File.Copy(built, Path.Combine(bundle.Directory, NodeHelperPackage.BinaryName));
        var note = Path.Combine(NodeHelperPackage.DefaultDirectory, "BUILD");
        if (File.Exists(note)) File.Copy(note, Path.Combine(bundle.Directory, "BUILD"));
        bundle.WriteAgent("#!/bin/sh\n# an OCF agent as the deployer ships it\nexit 0\n");
        return bundle;
    }

    public void WriteAgent(string text)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "ocf"));
        File.WriteAllText(Path.Combine(Directory, "ocf", AgentName), text);
    }

    /// <summary>Flips one byte in the middle of a bundled file; returns the SHA-256 it has now.</summary>
    public string FlipAByteOf(string relativePath)
    {
        var path = Path.Combine(Directory, relativePath);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
