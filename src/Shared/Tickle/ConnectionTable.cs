using System.Globalization;
using System.Net;

namespace StorageHa.Shared.Tickle;

/// <summary>One socket line of /proc/net/tcp or /proc/net/tcp6: its two ends and its TCP state.</summary>
public readonly record struct SocketLine(IPEndPoint Local, IPEndPoint Remote, int State)
{
    /// <summary>TCP_ESTABLISHED in the kernel's state numbering (include/net/tcp_states.h).</summary>
    public const int Established = 1;
}

/// <summary>
/// Reads the kernel's TCP socket tables (/proc/net/tcp and /proc/net/tcp6). Addresses there are hex words in the
/// machine's byte order: IPv4 one 32-bit word, IPv6 four; ports are big-endian hex.
/// </summary>
public static class ConnectionTable
{
    /// <summary>The established connections whose local end is <paramref name="vip"/> on one of <paramref name="ports"/>.</summary>
    public static List<VipConnection> ConnectionsTo(string table, IPAddress vip, IReadOnlySet<int> ports)
    {
        vip = Endpoints.Normalise(vip);
        var found = new List<VipConnection>();
        foreach (var line in table.AsSpan().EnumerateLines())
        {
            // Most lines are other sockets: look at the state and the local port before building any address.
            if (!Fields(line, out var localText, out _, out var stateText) || !stateText.SequenceEqual("01")) continue;
            if (!ushort.TryParse(localText[(localText.IndexOf(':') + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port) ||
                !ports.Contains(port)) continue;
            if (ParseLine(line) is not { State: SocketLine.Established } socket) continue;
            var local = Endpoints.Normalise(socket.Local);
            if (!local.Address.Equals(vip)) continue;
            found.Add(new VipConnection(local, Endpoints.Normalise(socket.Remote)));
        }
        return found;
    }

    /// <summary>A socket line, or null for the header and anything that is not one.</summary>
    public static SocketLine? ParseLine(ReadOnlySpan<char> line)
    {
        if (!Fields(line, out var localText, out var remoteText, out var stateText)) return null;
        var local = ParseEndpoint(localText);
        var remote = ParseEndpoint(remoteText);
        if (local is null || remote is null || local.AddressFamily != remote.AddressFamily) return null;
        if (!int.TryParse(stateText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var state)) return null;
        return new SocketLine(local, remote, state);
    }

    /// <summary>"0100007F:0CEA" → 127.0.0.1:3306 (on a little-endian machine); 32 hex digits before the colon for IPv6.</summary>
    public static IPEndPoint? ParseEndpoint(ReadOnlySpan<char> text)
    {
        var colon = text.IndexOf(':');
        if (colon is not (8 or 32) || text.Length != colon + 5) return null;
        if (!ushort.TryParse(text[(colon + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port)) return null;
        Span<byte> bytes = stackalloc byte[colon / 2];
        for (var word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(text.Slice(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return null;
            // The kernel prints each 32-bit word as the machine reads it from memory, so the word's bytes are in memory order.
            var slice = bytes.Slice(word * 4, 4);
            if (BitConverter.IsLittleEndian) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(slice, value);
            else System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(slice, value);
        }
        return new IPEndPoint(new IPAddress(bytes), port);
    }

    /// <summary>"  12: 6400A8C0:01BD 0100A8C0:C350 01 …": the slot (checked), then local, remote and state.</summary>
    private static bool Fields(ReadOnlySpan<char> line, out ReadOnlySpan<char> local, out ReadOnlySpan<char> remote, out ReadOnlySpan<char> state)
    {
        local = remote = state = default;
        line = line.TrimStart();
        var colon = line.IndexOf(':');
        if (colon <= 0 || !IsDecimal(line[..colon])) return false;
        var position = colon + 1;
        local = NextField(line, ref position);
        remote = NextField(line, ref position);
        state = NextField(line, ref position);
        return !state.IsEmpty;
    }

    private static ReadOnlySpan<char> NextField(ReadOnlySpan<char> line, scoped ref int position)
    {
        while (position < line.Length && line[position] == ' ') position++;
        var start = position;
        while (position < line.Length && line[position] != ' ') position++;
        return line[start..position];
    }

    private static bool IsDecimal(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
