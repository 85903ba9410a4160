using System.Net.Sockets;
using System.Security.Cryptography;
using Renci.SshNet.Common;
using StorageHa.Shared.Commands;

namespace StorageHa.Server.Ssh;

/// <summary>How to upload one file: who asks for it and how long it may take.</summary>
public sealed record SshUploadOptions
{
    /// <summary>The user (or job) on whose behalf the file is written, as written to the audit log.</summary>
    public required string Actor { get; init; }
    /// <summary>Connect plus transfer; a few MB over a LAN take well under a second.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
    public string AuditAction { get; init; } = "sftp.upload";
}

/// <summary>What was written: the remote path, how many bytes, and the SHA-256 (lowercase hex, as sha256sum prints it) of exactly those bytes.</summary>
public sealed record UploadResult(string RemotePath, long Bytes, string Sha256, TimeSpan Duration);

/// <summary>The node refused or lost a file the console was writing to it.</summary>
public sealed class UploadFailedException(string node, string message, Exception? inner = null) : NodeSshException(node, message, inner);

public sealed partial class SshRunner
{
    public async Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        var started = time.GetTimestamp();
        using var sent = new HashingStream(content);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(options.Timeout);
            if (Sudo.IsNeeded(target.User)) await TransferThroughSudoAsync(target, sent, remotePath, options, limit.Token, ct);
            else await TransferAsync(target, sent, remotePath, options, limit.Token, ct);
            var result = new UploadResult(remotePath, sent.Count, sent.Sha256(), time.GetElapsedTime(started));
            await WriteUploadAuditAsync(target, options, result, 0, $"{result.Bytes} bytes; sha256 {result.Sha256}", ct);
            return result;
        }
        catch (Exception ex)
        {
            var outcome = ex is OperationCanceledException ? "cancelled" : ex.Message;
            var partial = new UploadResult(remotePath, sent.Count, "", time.GetElapsedTime(started));
            await WriteUploadAuditAsync(target, options, partial, null, $"{sent.Count} bytes sent; {outcome}", CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// A login that is not root cannot write where files are installed: SFTP writes into a directory private to the user
    /// (mktemp -d: mode 700), sudo installs the file root-owned from there, and the directory goes in every case.
    /// </summary>
    private async Task TransferThroughSudoAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken limit, CancellationToken ct)
    {
        // The staging commands get their own action: the upload itself stays one row, as for a root login.
        var own = new SshRunOptions { Actor = options.Actor, AuditAction = options.AuditAction + ".sudo", Timeout = options.Timeout, AsLoginUser = true };
        var made = await RunAsync(target, ["mktemp", "-d", "/tmp/storageha-upload.XXXXXXXX"], own, limit);
        if (!made.Succeeded || made.StdOut.Trim() is not { Length: > 0 } directory || directory.Contains('\n'))
            throw new UploadFailedException(target.Display,
                $"{target.Display} could not make a private temporary directory for '{target.User}' (mktemp -d exit {made.ExitCode}): {made.StdErr.Trim()}");
        try
        {
            var staged = $"{directory}/{Path.GetFileName(remotePath)}";
            await TransferAsync(target, content, staged, options, limit, ct);
            // install(1) copies, so the file may land on another file system than /tmp; the caller renames it into place.
            var installed = await RunAsync(target, ["install", "-m", "0644", "-o", Sudo.Root, "-g", Sudo.Root, "-T", "--", staged, remotePath],
                own with { AsLoginUser = false }, limit);
            if (!installed.Succeeded)
                throw new UploadFailedException(target.Display,
                    $"{target.Display} could not install {remotePath} with sudo (install exit {installed.ExitCode}): {installed.StdErr.Trim()}");
        }
        finally
        {
            // Even after a failure or cancellation: nothing of the upload stays in /tmp.
            try { await RunAsync(target, ["rm", "-rf", "--", directory], own with { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None); }
            catch (NodeSshException) { /* the node went away: the directory is private to the user and in its /tmp */ }
        }
    }

    private async Task TransferAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken limit, CancellationToken ct)
    {
        var node = target.Display;
        try
        {
            using var sftp = await pool.OpenSftpAsync(target, limit);
            try
            {
                // Never overwrite: uploads go to a fresh name, and the caller renames into place once verified.
                await sftp.UploadFileAsync(content, remotePath, false, null, limit).WaitAsync(limit);
            }
            finally
            {
                try { sftp.Disconnect(); } catch (Exception) { /* already gone */ }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UploadFailedException(node, $"Writing {remotePath} on {node} did not finish within {options.Timeout.TotalSeconds:0.#} s and was stopped.");
        }
        catch (SftpPermissionDeniedException ex)
        {
            throw new UploadFailedException(node,
                $"{node} refused to let '{target.User}' write {remotePath} (permission denied). Installing there needs root: log in as root, or as a user with passwordless sudo.", ex);
        }
        catch (SftpPathNotFoundException ex)
        {
            throw new UploadFailedException(node, $"{node} has no directory for {remotePath}.", ex);
        }
        catch (SshException ex) when (ex is not SshConnectionException)
        {
            throw new UploadFailedException(node, $"{node} could not write {remotePath}: {ex.Message}. Is the SFTP subsystem enabled in the node's sshd_config?", ex);
        }
        catch (Exception ex) when (ex is SshConnectionException or SocketException or IOException or ObjectDisposedException)
        {
            throw new ConnectionDroppedException(node, $"The connection to {node} dropped while writing {remotePath}; the file may be incomplete there.", ex);
        }
    }

    private Task WriteUploadAuditAsync(SshTarget target, SshUploadOptions options, UploadResult result, int? exitCode, string outcome, CancellationToken ct) =>
        audit.WriteAsync(new StorageHa.Shared.Inventory.AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = options.Actor,
            Action = options.AuditAction,
            Target = target.Name,
            Command = result.RemotePath,
            ExitCode = exitCode,
            Detail = $"{Login(target, Sudo.IsNeeded(target.User))}; {result.Duration.TotalSeconds:0.###} s; {outcome}",
        }, ct);

    /// <summary>Passes a stream through while hashing it, so the audit names the bytes actually sent, not the ones meant.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Count { get; private set; }
        public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Seen(buffer[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Seen(buffer.Span[..read]);
            return read;
        }

        private void Seen(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            Count += bytes.Length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
