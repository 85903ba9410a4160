using System.Buffers.Binary;

namespace StorageHa.Shared.Serving;

/// <summary>
/// The ONC RPC NULL call to the NFS program (RFC 5531, program 100003, procedure 0: "do nothing, answer") over TCP, with
/// its record marking (RFC 5531 §11: a 4-byte header per fragment, its top bit on the last). An accepted reply proves
/// the NFS server reads requests and answers them on that connection, which may be held from call to call.
/// </summary>
public static class NfsNullCall
{
    public const uint NfsProgram = 100003;
    public const int RecordHeaderLength = 4;
    /// <summary>Largest reply a probe reads: a NULL reply is 24 bytes, a verifier at most 400 more.</summary>
    public const int MaxReplyLength = 4096;

    private const uint LastFragment = 0x80000000;
    private const uint Call = 0, Reply = 1, RpcVersion = 2, MsgAccepted = 0;

    /// <summary>The call with transaction id <paramref name="xid"/> to NFS <paramref name="version"/> (AUTH_NONE), as one record.</summary>
    public static byte[] Request(uint xid, uint version)
    {
        var record = new byte[RecordHeaderLength + 40];
        var w = record.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(w, LastFragment | 40);
        uint[] words = [xid, Call, RpcVersion, NfsProgram, version, 0 /* NULL */, 0, 0 /* cred AUTH_NONE */, 0, 0 /* verf AUTH_NONE */];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(w[(RecordHeaderLength + 4 * i)..], words[i]);
        return record;
    }

    /// <summary>One fragment's header: its length, and whether it is the record's last.</summary>
    public static (int Length, bool Last) Fragment(ReadOnlySpan<byte> header)
    {
        var word = BinaryPrimitives.ReadUInt32BigEndian(header);
        var length = (int)(word & ~LastFragment);
        if (length > MaxReplyLength) throw new InvalidServiceAnswerException($"the answer's RPC fragment is {length} bytes long");
        return (length, (word & LastFragment) != 0);
    }

    /// <summary>Reads a reply record (fragments joined, without their headers) to the call with <paramref name="xid"/>.</summary>
    public static RpcReply ReadReply(ReadOnlySpan<byte> record, uint xid)
    {
        if (record.Length < 12) throw new InvalidServiceAnswerException("the answer is too short for an RPC reply");
        var got = BinaryPrimitives.ReadUInt32BigEndian(record);
        if (got != xid || BinaryPrimitives.ReadUInt32BigEndian(record[4..]) != Reply)
            throw new InvalidServiceAnswerException($"the answer is not the RPC reply to call {xid:x8}");
        if (BinaryPrimitives.ReadUInt32BigEndian(record[8..]) != MsgAccepted)
            return new RpcReply(RpcAcceptStat.Denied);
        // The verifier: flavor, then an opaque body padded to 4 bytes.
        if (record.Length < 20) throw new InvalidServiceAnswerException("the RPC reply ends inside its verifier");
        var verifier = BinaryPrimitives.ReadUInt32BigEndian(record[16..]);
        var at = 20 + (int)((verifier + 3) & ~3u);
        if (verifier > 400 || record.Length < at + 4) throw new InvalidServiceAnswerException("the RPC reply ends inside its verifier");
        var stat = (RpcAcceptStat)BinaryPrimitives.ReadUInt32BigEndian(record[at..]);
        if (stat != RpcAcceptStat.ProgramMismatch) return new RpcReply(stat);
        if (record.Length < at + 12) throw new InvalidServiceAnswerException("the RPC reply ends inside its version range");
        return new RpcReply(stat, BinaryPrimitives.ReadUInt32BigEndian(record[(at + 4)..]), BinaryPrimitives.ReadUInt32BigEndian(record[(at + 8)..]));
    }
}

/// <summary>RFC 5531's accept_stat, and Denied for a reply the server did not accept (MSG_DENIED).</summary>
public enum RpcAcceptStat : uint
{
    Success = 0,
    ProgramUnavailable = 1,
    ProgramMismatch = 2,
    ProcedureUnavailable = 3,
    GarbageArguments = 4,
    SystemError = 5,
    Denied = 0xFFFF_FFFF,
}

/// <param name="Low">With <see cref="RpcAcceptStat.ProgramMismatch"/>: the lowest version the server runs.</param>
/// <param name="High">With <see cref="RpcAcceptStat.ProgramMismatch"/>: the highest.</param>
public sealed record RpcReply(RpcAcceptStat Status, uint Low = 0, uint High = 0)
{
    /// <summary>
    /// The NFS server answered as itself: the call succeeded, or it runs NFS in other versions only (it still read and
    /// answered the call; the probe asks one of those next).
    /// </summary>
    public bool Served => Status is RpcAcceptStat.Success or RpcAcceptStat.ProgramMismatch;
}
