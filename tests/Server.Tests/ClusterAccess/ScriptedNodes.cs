using StorageHa.Server.Ssh;

namespace StorageHa.Server.Tests.ClusterAccess;

/// <summary>
/// Nodes that behave as each test says (answer, refuse, hang) behind the SSH runner's one door, on a clock the nodes move:
/// a node that hangs uses up the time it was given without the test waiting for it.
/// </summary>
internal sealed class ScriptedNodes : ISshRunner
{
    private readonly Dictionary<string, Func<SshRunOptions, CommandResult>> _nodes = [];
    private readonly List<(string Node, TimeSpan Timeout)> _asked = [];

    public SteppedClock Clock { get; } = new();

    /// <summary>Who was asked, in order, and the time limit each was given.</summary>
    public IReadOnlyList<(string Node, TimeSpan Timeout)> Asked => _asked;

    public SshTarget Node(string name, Func<SshRunOptions, CommandResult> behaviour)
    {
        _nodes[name] = behaviour;
        return new SshTarget(name, "192.0.2.1", 22, "root", SshAuth.WithPassword("-"), "SHA256:pinned");
    }

    public SshTarget Answering(string name, string output) => Node(name, _ => new CommandResult(0, output, "", TimeSpan.FromMilliseconds(5)));

    public SshTarget Refusing(string name) => Node(name, _ => throw new NodeUnreachableException(Display(name), $"{Display(name)} refused the connection on port 22."));

    /// <summary>Never answers: the runner's limit ends the wait, here at once on the clock.</summary>
    public SshTarget Hanging(string name) => Node(name, options =>
    {
        Clock.Advance(options.Timeout);
        throw CommandTimedOutException.BeforeStart(Display(name), "cibadmin --query", options.Timeout);
    });

    public Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        _asked.Add((target.Name, options.Timeout));
        try { return Task.FromResult(_nodes[target.Name](options)); }
        catch (Exception e) { return Task.FromException<CommandResult>(e); }
    }

    public static string Display(string name) => $"{name} (192.0.2.1:22)";

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
        throw new NotSupportedException("the finder never fetches host keys");

    public Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default) =>
        throw new NotSupportedException("the finder never uploads");
}

/// <summary>A clock that moves only when told: elapsed time without sleeping.</summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _ticks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
}
