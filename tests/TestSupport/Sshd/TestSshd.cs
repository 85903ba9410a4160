using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StorageHa.TestSupport.Sshd;

/// <summary>What sudo allows the server's throwaway user (a sudoers.d file of its own, removed with the user).</summary>
public enum TestSudo
{
    /// <summary>Every command as root, without a password: what the console needs of a login that is not root.</summary>
    Passwordless,
    /// <summary>Every command as root, after the user's password: what the console must refuse, at once.</summary>
    PasswordRequired,
}

/// <summary>
/// A real OpenSSH server on 127.0.0.1 and a free port, with its own config, host key, authorized_keys and a
/// throwaway login user, who may use sudo as <see cref="TestSudo"/> says; everything (process, user, sudoers file,
/// files) is removed on dispose.
/// </summary>
public sealed class TestSshd : IAsyncDisposable
{
    private const string SshdPath = "/usr/sbin/sshd";
    private const string UserPrefix = "shatest";
    private readonly StringBuilder _log = new();
    private Process? _sshd;
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();

    private TestSshd(string directory, string user, string password)
    {
        Directory = directory;
        User = user;
        Password = password;
    }

    public string Address => "127.0.0.1";
    public int Port { get; private set; }
    /// <summary>A local user created for this server only, allowed to log in with <see cref="Password"/> or an authorized key.</summary>
    public string User { get; }
    public string Password { get; }
    public string Directory { get; }
    public string HostKeyPath => Path.Combine(Directory, "ssh_host_ed25519_key");
    public string AuthorizedKeysPath => Path.Combine(Directory, "authorized_keys");
    /// <summary>The host key's fingerprint as OpenSSH's ssh-keygen prints it ("SHA256:…").</summary>
    public string HostKeyFingerprint { get; private set; } = "";
    /// <summary>What sshd wrote to stderr, for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Whether a password login reached sshd (it logs each one, right or wrong) since <paramref name="since"/>, a length of <see cref="Log"/>.</summary>
    public bool PasswordArrived(int since = 0)
    {
        var log = Log[since..];
        return log.Contains("Accepted password", StringComparison.Ordinal) || log.Contains("Failed password", StringComparison.Ordinal);
    }

    /// <summary>Whether sshd logs a password login within <paramref name="within"/>: its stderr may arrive after the client has its answer.</summary>
    public async Task<bool> PasswordArrivesAsync(TimeSpan within, int since = 0)
    {
        var deadline = DateTime.UtcNow + within;
        while (!PasswordArrived(since))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>Starts a fresh server; fails with the package to install when OpenSSH's server is missing.</summary>
    /// <param name="environment">Set in every session (sshd's SetEnv, one line: sshd keeps only the first), e.g. CIB_file so that
    /// Pacemaker's tools read a file instead of a cluster. Values must not contain spaces.</param>
    /// <param name="sudo">The console runs a non-root login's commands through sudo: passwordless unless a test says otherwise.</param>
    public static async Task<TestSshd> StartAsync(IReadOnlyDictionary<string, string>? environment = null, TestSudo sudo = TestSudo.Passwordless)
    {
        RequiredTool.Require(new RequiredTool("sudo", "sudo", ["/usr/bin/sudo"]));
        if (OperatingSystem.IsWindows() || !File.Exists(SshdPath))
            throw new InvalidOperationException($"{SshdPath} is missing: these tests need a real OpenSSH server. Install it with: apt-get install -y openssh-server");
        if (Environment.UserName != "root")
            throw new InvalidOperationException("The test sshd must run as root (it creates a throwaway login user and runs sshd).");
        RemoveUsersOfDeadTestRuns();
        var directory = System.IO.Directory.CreateTempSubdirectory("storageha-sshd-").FullName;
        // The throwaway user's home lives inside: let it in.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var user = $"{UserPrefix}{Environment.ProcessId}x{Random.Shared.Next(100000, 999999)}";
        var server = new TestSshd(directory, user, "Pw-" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16]);
        server._environment = environment ?? new Dictionary<string, string>();
        try
        {
            await server.CreateUserAsync();
            await server.AllowSudoAsync(sudo);
            await File.WriteAllTextAsync(server.AuthorizedKeysPath, "");
            await server.GenerateHostKeyAsync();
            server.Port = FreePort();
            await File.WriteAllTextAsync(server.ConfigPath, server.Config());
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a client key pair with ssh-keygen and authorizes it; returns the private key text.</summary>
    /// <param name="type">ed25519, rsa or ecdsa.</param>
    /// <param name="pem">Write the private key in the old PEM format instead of OpenSSH's.</param>
    public async Task<string> CreateAuthorizedKeyAsync(string type, string? passphrase = null, bool pem = false)
    {
        var path = Path.Combine(Directory, $"client-{type}-{Guid.NewGuid():N}");
        var args = new List<string> { "-q", "-t", type, "-N", passphrase ?? "", "-C", $"storageha-test-{type}", "-f", path };
        if (type == "rsa") args.AddRange(["-b", "3072"]);
        if (pem) args.AddRange(["-m", "PEM"]);
        await RunAsync("ssh-keygen", args);
        await AuthorizeAsync(await File.ReadAllTextAsync(path + ".pub"));
        return await File.ReadAllTextAsync(path);
    }

    /// <summary>Adds an OpenSSH public key line to the server's authorized_keys.</summary>
    public Task AuthorizeAsync(string publicKeyLine) => File.AppendAllTextAsync(AuthorizedKeysPath, publicKeyLine.Trim() + "\n");

    /// <summary>Gives the server a new host key (as a reinstall would) and restarts it on the same port.</summary>
    public async Task RegenerateHostKeyAsync()
    {
        DropConnections();
        StopListener();
        File.Delete(HostKeyPath);
        File.Delete(HostKeyPath + ".pub");
        await GenerateHostKeyAsync();
        await StartProcessAsync();
    }

    /// <summary>Kills the sessions of every connected client (as a node crash would); the server keeps listening.</summary>
    public void DropConnections()
    {
        if (_sshd is null) return;
        // sshd's own processes first: were the command killed first, sshd would report its exit signal as a normal end.
        var sessions = Descendants(_sshd.Id);
        foreach (var pid in sessions.Where(IsSshd)) Kill(pid);
        foreach (var pid in sessions.Where(pid => !IsSshd(pid))) Kill(pid);
    }

    private static bool IsSshd(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "sshd"; }
        catch (IOException) { return false; }
    }

    /// <summary>How many client connections sshd is serving right now (one session process each).</summary>
    public int ConnectionCount => _sshd is null ? 0 : Children(_sshd.Id).Count;

    public async ValueTask DisposeAsync()
    {
        DropConnections();
        StopListener();
        await DeleteUserAsync(User);
        File.Delete(SudoersPath(User));
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string ConfigPath => Path.Combine(Directory, "sshd_config");

    private string Config() => $"""
        Port {Port}
        ListenAddress 127.0.0.1
        HostKey {HostKeyPath}
        PidFile {Path.Combine(Directory, "sshd.pid")}
        AuthorizedKeysFile {AuthorizedKeysPath} .ssh/authorized_keys
        UsePAM no
        StrictModes no
        PubkeyAuthentication yes
        PasswordAuthentication yes
        KbdInteractiveAuthentication no
        PermitRootLogin no
        AllowUsers {User}
        {(_environment.Count == 0 ? "" : "SetEnv " + string.Join(' ', _environment.Select(e => $"{e.Key}={e.Value}")))}
        MaxStartups 50
        MaxSessions 50
        LogLevel VERBOSE
        Subsystem sftp internal-sftp

        """;

    private async Task StartProcessAsync()
    {
        System.IO.Directory.CreateDirectory("/run/sshd");
        var info = new ProcessStartInfo(SshdPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-f", ConfigPath, "-D", "-e" }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("sshd did not start.");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _sshd = process;
        await WaitUntilAcceptingAsync(process);
    }

    private async Task WaitUntilAcceptingAsync(Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"sshd exited with code {process.ExitCode} on start:\n{Log}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                var banner = new byte[8];
                using var stream = tcp.GetStream();
                stream.ReadTimeout = 2000;
                if (await stream.ReadAsync(banner) >= 4 && Encoding.ASCII.GetString(banner).StartsWith("SSH-", StringComparison.Ordinal)) return;
            }
            catch (SocketException) { }
            catch (IOException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"sshd did not accept connections on 127.0.0.1:{Port} within 15 s:\n{Log}");
    }

    private void StopListener()
    {
        if (_sshd is null) return;
        try { _sshd.Kill(); _sshd.WaitForExit(5000); } catch (InvalidOperationException) { }
        _sshd.Dispose();
        _sshd = null;
    }

    private async Task GenerateHostKeyAsync()
    {
        await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "storageha-test-host", "-f", HostKeyPath]);
        // "256 SHA256:abc… comment (ED25519)": the second word is the fingerprint admins compare.
        var line = await RunAsync("ssh-keygen", ["-l", "-E", "sha256", "-f", HostKeyPath + ".pub"]);
        HostKeyFingerprint = line.Split(' ')[1];
    }

    private async Task CreateUserAsync()
    {
        await RunWithRetryAsync("useradd", ["-m", "-d", Path.Combine(Directory, "home"), "-s", "/bin/sh", User]);
        await RunAsync("chpasswd", [], stdin: $"{User}:{Password}\n");
    }

    /// <summary>sudo reads every file in /etc/sudoers.d whose name has no dot: one per throwaway user, named after it.</summary>
    private static string SudoersPath(string user) => Path.Combine("/etc/sudoers.d", user);

    private async Task AllowSudoAsync(TestSudo sudo)
    {
        // sudo resets the environment: the variables sshd sets for the tests (CIB_file) must reach the command as root too.
        var keep = _environment.Count == 0 ? "" : $"Defaults:{User} env_keep += \"{string.Join(' ', _environment.Keys)}\"\n";
        var rule = sudo == TestSudo.Passwordless ? $"{User} ALL=(ALL) NOPASSWD: ALL\n" : $"{User} ALL=(ALL) ALL\n";
        var staged = Path.Combine(Directory, "sudoers");
        await File.WriteAllTextAsync(staged, keep + rule);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        // A broken file in sudoers.d breaks sudo for the whole machine: visudo checks it before it goes there.
        await RunAsync("visudo", ["-c", "-q", "-f", staged]);
        File.Move(staged, SudoersPath(User), overwrite: true);
    }

    private static async Task DeleteUserAsync(string user)
    {
        try { await RunWithRetryAsync("userdel", ["-f", user]); }
        catch (InvalidOperationException) { /* never created */ }
    }

    /// <summary>Removes users left behind by test processes that were killed before they could clean up.</summary>
    private static void RemoveUsersOfDeadTestRuns()
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var name = line.Split(':')[0];
            if (!name.StartsWith(UserPrefix, StringComparison.Ordinal)) continue;
            var pidText = name[UserPrefix.Length..].Split('x')[0];
            if (int.TryParse(pidText, out var pid) && !System.IO.Directory.Exists($"/proc/{pid}"))
            {
                DeleteUserAsync(name).GetAwaiter().GetResult();
                File.Delete(SudoersPath(name));
            }
        }
    }

    private static async Task RunWithRetryAsync(string program, IReadOnlyList<string> args)
    {
        // useradd/userdel fail while another test run holds the lock on /etc/passwd.
        for (var attempt = 1; ; attempt++)
        {
            try { await RunAsync(program, args); return; }
            catch (InvalidOperationException ex) when (attempt < 20 && ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {await error}");
        return (await output).Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate)) continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == pid) children.Add(candidate);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return children;
    }

    private static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        foreach (var child in Children(pid))
        {
            all.AddRange(Descendants(child));
            all.Add(child);
        }
        return all;
    }

    private static void Kill(int pid)
    {
        try { using var process = Process.GetProcessById(pid); process.Kill(); }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
    }
}
