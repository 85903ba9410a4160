using System.Buffers.Binary;
using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Tests.Serving;

/// <summary>The probes' SMB2 and RPC messages against bytes real servers sent (Corpus/serving, recorded from smbd 4.17 and Ganesha 4.3).</summary>
public sealed class ServiceProbeCodecTests
{
    private static byte[] Captured(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "serving", name));

    private static byte[] Message(byte[] frame) => frame[Smb2Messages.FrameHeaderLength..];

    [Fact]
    public void Negotiate_IsByteForByteTheRequestSmbdAnswered()
    {
        var request = Smb2Messages.Negotiate();
        var captured = Captured("negotiate-request.bin");
        // The client GUID is the probes' own; everything else is as sent to smbd.
        Assert.Equal(captured[..(4 + 64 + 12)], request[..(4 + 64 + 12)]);
        Assert.Equal(captured[(4 + 64 + 28)..], request[(4 + 64 + 28)..]);
    }

    [Fact]
    public void SmbdsNegotiateResponse_ReadsAsDialect302()
    {
        var response = Captured("negotiate-response.bin");
        Assert.Equal(response.Length - 4, Smb2Messages.MessageLength(response));
        var negotiated = Smb2Messages.ReadNegotiateResponse(Message(response));
        Assert.Equal(0x0302, negotiated.Dialect);
        Assert.True(negotiated.Credits >= 1);
    }

    [Fact]
    public void Echo_IsTheRequestSmbdAnsweredWithoutASession_AndItsResponseReads()
    {
        Assert.Equal(Captured("echo-request.bin"), Smb2Messages.Echo(1));
        Smb2Messages.ReadEchoResponse(Message(Captured("echo-response.bin")), 1);
    }

    [Fact]
    public void AnEchoResponseToAnotherRequest_OrAnErrorStatus_OrAnotherProtocol_IsNotAnAnswer()
    {
        var echo = Message(Captured("echo-response.bin"));
        Assert.Throws<InvalidServiceAnswerException>(() => Smb2Messages.ReadEchoResponse(echo, 2));
        var denied = (byte[])echo.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(denied.AsSpan(8), 0xC0000022); // STATUS_ACCESS_DENIED
        Assert.Contains("0xc0000022", Assert.Throws<InvalidServiceAnswerException>(() => Smb2Messages.ReadEchoResponse(denied, 1)).Message);
        Assert.Throws<InvalidServiceAnswerException>(() => Smb2Messages.ReadNegotiateResponse(echo));
        Assert.Throws<InvalidServiceAnswerException>(() => Smb2Messages.MessageLength("HTTP"u8));
        // An SMB1 server's frame header is fine, its message is not SMB2.
        Assert.Throws<InvalidServiceAnswerException>(() => Smb2Messages.ReadNegotiateResponse([0xFF, (byte)'S', (byte)'M', (byte)'B', .. new byte[140]]));
    }

    [Fact]
    public void NullCall_IsTheRecordGaneshaAnswered()
    {
        Assert.Equal(Captured("nfs-null-v4-request.bin"), NfsNullCall.Request(0x5348a001, 4));
        Assert.Equal(Captured("nfs-null-v3-request.bin"), NfsNullCall.Request(0x5348a002, 3));
    }

    [Fact]
    public void GaneshasReplies_ReadAsAcceptedSuccess_AndAsProgramMismatchNamingVersion4()
    {
        var v4 = Captured("nfs-null-v4-reply.bin");
        var (length, last) = NfsNullCall.Fragment(v4);
        Assert.True(last);
        Assert.Equal(v4.Length - 4, length);
        Assert.Equal(new RpcReply(RpcAcceptStat.Success), NfsNullCall.ReadReply(v4.AsSpan(4), 0x5348a001));

        var v3 = NfsNullCall.ReadReply(Captured("nfs-null-v3-reply.bin").AsSpan(4), 0x5348a002);
        Assert.Equal(new RpcReply(RpcAcceptStat.ProgramMismatch, 4, 4), v3);
        Assert.True(v3.Served);
    }

    [Fact]
    public void AReplyToAnotherCall_OrADeniedOne_IsNotServed()
    {
        var v4 = Captured("nfs-null-v4-reply.bin")[4..];
        Assert.Throws<InvalidServiceAnswerException>(() => NfsNullCall.ReadReply(v4, 0x5348a002));
        // RFC 5531 MSG_DENIED, RPC_MISMATCH 2..2
        byte[] denied = [0x53, 0x48, 0xa0, 0x01, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2];
        Assert.False(NfsNullCall.ReadReply(denied, 0x5348a001).Served);
        Assert.Throws<InvalidServiceAnswerException>(() => NfsNullCall.Fragment([0x80, 0x10, 0, 0]));
    }
}
