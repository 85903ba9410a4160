using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace StorageHa.Server.Ssh;

/// <summary>Timeouts of the SSH layer; the defaults suit a LAN.</summary>
public sealed record SshSettings
{
    /// <summary>TCP connect plus SSH handshake plus login.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// Opening a command's session on an open connection: milliseconds on a live node, so longer means it died. 6 s, not
    /// less: a fresh-clone CI run (three labs, a rootfs and a DC being built beside them on 2 cores) saw a live node's
    /// sshd take over 3 s to open a session for the serve check.
    /// </summary>
    public TimeSpan ChannelOpenTimeout { get; init; } = TimeSpan.FromSeconds(6);
    /// <summary>Keep-alives notice a dead node on an idle pooled connection.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Opens one SSH connection: checks the pinned host key, logs in, and turns failures into admin words.</summary>
internal sealed class SshConnector(SshSettings settings)
{
    public Task<SshClient> ConnectAsync(SshTarget target, CancellationToken ct) =>
        ConnectAsync(target, info => new SshClient(info) { KeepAliveInterval = settings.KeepAliveInterval }, ct);

    /// <summary>An SFTP session: SSH.NET cannot share a connection between shell and SFTP, so it logs in the same way on its own.</summary>
    public Task<SftpClient> ConnectSftpAsync(SshTarget target, CancellationToken ct) =>
        ConnectAsync(target, info => new SftpClient(info), ct);

    private async Task<T> ConnectAsync<T>(SshTarget target, Func<Renci.SshNet.ConnectionInfo, T> create, CancellationToken ct) where T : BaseClient
    {
        var pinned = SshFingerprint.Normalize(target.PinnedFingerprint) ?? throw new HostKeyNotPinnedException(target.Display);
        // A stored credential goes only where an admin bound it, whatever the caller built the target from.
        if (target.Auth.AllowedAt is { } binding && !binding.Allows(target)) throw CredentialNotConfirmedException.At(target);
        var auth = CreateAuthentication(target);
        var client = create(CreateConnectionInfo(target, auth.Method));
        string? refused = null;
        // SSH.NET raises this during key exchange, before any authentication request: a refused key ends the connection
        // before the credential is sent (HostKeyPinningTests prove it against sshd's own log).
        client.HostKeyReceived += (_, e) =>
        {
            var offered = "SHA256:" + e.FingerPrintSHA256;
            e.CanTrust = offered == pinned;
            if (!e.CanTrust) refused = offered;
        };
        try
        {
            await ConnectWithTimeoutAsync(client, target, ct);
            return client;
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (refused is not null) throw new HostKeyMismatchException(target.Display, pinned, refused);
            throw Explain(ex, target, auth.Description, ct);
        }
    }

    /// <summary>First contact: reads the node's host key without logging in, for the admin to compare and accept.</summary>
    public async Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct)
    {
        var target = new SshTarget(name, address, port, "storageha", SshAuth.WithPassword("-"), null);
        SshHostKey? seen = null;
        using var client = new SshClient(CreateConnectionInfo(target, new NoneAuthenticationMethod("storageha")));
        client.HostKeyReceived += (_, e) =>
        {
            seen = new SshHostKey(e.HostKeyName, "SHA256:" + e.FingerPrintSHA256);
            e.CanTrust = false; // we only wanted to look: stop before any login
        };
        try { await ConnectWithTimeoutAsync(client, target, ct); }
        catch (Exception ex) when (seen is null) { throw Explain(ex, target, "", ct); }
        catch (SshException) { /* the refusal we caused ourselves */ }
        return seen!;
    }

    private Renci.SshNet.ConnectionInfo CreateConnectionInfo(SshTarget target, AuthenticationMethod method) =>
        new(target.Address, target.Port, target.User, method)
        {
            Timeout = settings.ConnectTimeout,
            Encoding = Encoding.UTF8,
        };

    private async Task ConnectWithTimeoutAsync(BaseClient client, SshTarget target, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new NodeUnreachableException(target.Display,
                $"{target.Display} did not answer within {settings.ConnectTimeout.TotalSeconds:0.#} s. Is the node up, and is a firewall dropping port {target.Port}?");
        }
    }

    private static Exception Explain(Exception ex, SshTarget target, string authDescription, CancellationToken ct)
    {
        var node = target.Display;
        return ex switch
        {
            NodeSshException known => known,
            OperationCanceledException when ct.IsCancellationRequested => ex,
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new NodeUnreachableException(node,
                $"{node} refused the connection on port {target.Port}. Is sshd running there, and is the port right?", ex),
            SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } => new NodeUnreachableException(node,
                $"No route to {node}. Check the address and the network between the console and the node.", ex),
            SocketException { SocketErrorCode: SocketError.TimedOut } or SshOperationTimeoutException => new NodeUnreachableException(node,
                $"{node} did not answer in time. Is the node up, and is a firewall dropping port {target.Port}?", ex),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => new NodeUnreachableException(node,
                $"The name {target.Address} cannot be resolved. Use an IP address or fix DNS / /etc/hosts on the console machine.", ex),
            SocketException socket => new NodeUnreachableException(node, $"Cannot connect to {node}: {socket.Message}.", ex),
            SshAuthenticationException => new NodeLoginFailedException(node,
                $"{node} refused the login of user '{target.User}' with {authDescription}. " +
                (target.Auth is SshKeyAuth
                    ? $"Is that public key in ~{target.User}/.ssh/authorized_keys on the node, and may '{target.User}' log in over SSH?"
                    : $"Check the password, and that the node's sshd allows PasswordAuthentication for '{target.User}'."), ex),
            SshConnectionException => new NodeUnreachableException(node,
                $"{node} closed the connection during the SSH handshake ({ex.Message}). Check the node's sshd log.", ex),
            _ => new NodeUnreachableException(node, $"Cannot connect to {node}: {ex.Message}", ex),
        };
    }

    private static LoginMethod CreateAuthentication(SshTarget target)
    {
        switch (target.Auth)
        {
            case SshPasswordAuth password:
                return new LoginMethod(new PasswordAuthenticationMethod(target.User, password.Password), password.ToString());
            case SshKeyAuth key:
                var file = ReadKey(target, key);
                var algorithm = file.HostKeyAlgorithms.First();
                var description = $"{key} ({file.Key} {SshFingerprint.Of(algorithm.Data)})";
                return new LoginMethod(new PrivateKeyAuthenticationMethod(target.User, file), description);
            default:
                throw new ArgumentException($"Unknown kind of credential for {target.Display}.", nameof(target));
        }
    }

    private static PrivateKeyFile ReadKey(SshTarget target, SshKeyAuth key)
    {
        try
        {
            return PrivateKeyText.Open(key.PrivateKey, key.Passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException ex)
        {
            throw new PrivateKeyUnreadableException(target.Display, $"The private key of {key} is protected by a passphrase, and none is stored with it.", ex);
        }
        catch (Exception ex) when (PrivateKeyText.IsUnreadable(ex))
        {
            var reason = string.IsNullOrEmpty(key.Passphrase)
                ? "it is damaged or in a format SSH.NET does not read (use an OpenSSH or PEM key: ed25519, RSA or ECDSA)"
                : "the passphrase is wrong, or the key is damaged";
            throw new PrivateKeyUnreadableException(target.Display, $"The private key of {key} cannot be read: {reason}.", ex);
        }
    }

    /// <summary>The login method plus the words to name it in errors.</summary>
    private sealed record LoginMethod(AuthenticationMethod Method, string Description);
}
