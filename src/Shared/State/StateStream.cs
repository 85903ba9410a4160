using System.Text;
using StorageHa.Shared.Text;

namespace StorageHa.Shared.State;

/// <summary>One record of <c>storageha-node watch-state</c>'s output.</summary>
public abstract record StateRecord;

/// <summary>crm_mon's XML as the node read it after a change (or on its slow re-read).</summary>
public sealed record StateRead(string Xml) : StateRecord;

/// <summary>Nothing changed; the watch is alive (a silent stream is a hung node or a hung watch, not a quiet cluster).</summary>
public sealed record StateHeartbeat : StateRecord;

/// <summary>The watch could not read the state this time (crm_mon failed) but keeps watching; in the node's words.</summary>
public sealed record StateProblem(string Message) : StateRecord;

/// <summary>A stream that is not watch-state's output: the console stops reading it and says why.</summary>
public sealed class StateStreamException(string message) : Exception(message);

/// <summary>
/// The framing of watch-state's output, written by the node helper and read by the console. Line-based so a person can
/// read it: <c>heartbeat</c>, <c>problem TEXT</c>, or <c>state N</c> followed by exactly N bytes of UTF-8 XML and a newline.
/// The first line is <see cref="Hello"/>, so a node helper too old to know the verb is told apart from a broken stream.
/// </summary>
public static class StateStream
{
    public const string Hello = "storageha-watch-state 1";
    /// <summary>crm_mon's XML of a large cluster is well under a megabyte; a length beyond this is not a state.</summary>
    public const int MaxStateBytes = 16 * 1024 * 1024;

    public static byte[] HelloLine() => Encoding.UTF8.GetBytes(Hello + "\n");

    public static byte[] Heartbeat() => "heartbeat\n"u8.ToArray();

    public static byte[] Problem(string message) =>
        Encoding.UTF8.GetBytes("problem " + message.ReplaceLineEndings(" ").Trim() + "\n");

    public static byte[] State(string xml)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        return [.. Encoding.ASCII.GetBytes($"state {body.Length}\n"), .. body, (byte)'\n'];
    }
}

/// <summary>
/// Reads watch-state's records from the bytes as they arrive, in pieces of any size: <see cref="Add"/> what came,
/// then take every record completed so far. Anything else than the framing throws <see cref="StateStreamException"/>.
/// </summary>
public sealed class StateStreamReader
{
    private const int MaxLineBytes = 4096;
    private readonly List<byte> _pending = [];
    private bool _greeted;
    private int? _stateBytes;

    /// <summary>Whether the stream began with <see cref="StateStream.Hello"/>.</summary>
    public bool Greeted => _greeted;

    /// <summary>Adds the next bytes of the stream and returns the records they complete (none when a record is still partial).</summary>
    public IReadOnlyList<StateRecord> Add(ReadOnlySpan<byte> bytes)
    {
        Append(bytes);
        var records = new List<StateRecord>();
        while (Next() is { } record) records.Add(record);
        return records;
    }

    /// <summary>Adds the next bytes of the stream; <see cref="Next"/> then takes the records, each before any garbage after it.</summary>
    public void Append(ReadOnlySpan<byte> bytes) => _pending.AddRange(bytes);

    /// <summary>The next complete record, or null until more bytes come; throws at garbage, after the records before it.</summary>
    public StateRecord? Next()
    {
        while (true)
        {
            if (_stateBytes is { } length)
            {
                if (_pending.Count < length + 1) return null;
                if (_pending[length] != (byte)'\n') throw new StateStreamException($"a state of {length} bytes was not followed by a newline: the stream is out of step");
                var xml = Encoding.UTF8.GetString(_pending.GetRange(0, length).ToArray());
                _pending.RemoveRange(0, length + 1);
                _stateBytes = null;
                return new StateRead(xml);
            }
            var end = _pending.IndexOf((byte)'\n');
            if (end < 0)
            {
                if (_pending.Count > MaxLineBytes) throw Garbage(Encoding.UTF8.GetString(_pending.GetRange(0, 80).ToArray()));
                return null;
            }
            var line = Encoding.UTF8.GetString(_pending.GetRange(0, end).ToArray());
            _pending.RemoveRange(0, end + 1);
            if (!_greeted)
            {
                if (line != StateStream.Hello) throw Garbage(line, "the first line should be '" + StateStream.Hello + "'");
                _greeted = true;
                continue;
            }
            if (line == "heartbeat") return new StateHeartbeat();
            if (line.StartsWith("problem ", StringComparison.Ordinal)) return new StateProblem(line["problem ".Length..]);
            if (line.StartsWith("state ", StringComparison.Ordinal))
            {
                if (!int.TryParse(line.AsSpan("state ".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
                    || bytes > StateStream.MaxStateBytes)
                    throw Garbage(line, $"a state's length must be a number of bytes up to {StateStream.MaxStateBytes}");
                _stateBytes = bytes;
                continue;
            }
            throw Garbage(line);
        }
    }

    private static StateStreamException Garbage(string line, string? why = null)
    {
        return new StateStreamException($"not watch-state's output: '{Excerpt.Of(line, 80)}'" + (why is null ? " (expected heartbeat, problem TEXT or state N)" : $" ({why})"));
    }
}
