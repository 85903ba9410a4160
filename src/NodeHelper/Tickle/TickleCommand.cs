using System.Diagnostics;
using System.Runtime.InteropServices;
using StorageHa.Shared.Tickle;

namespace StorageHa.NodeHelper.Tickle;

/// <summary><c>tickle record|send</c>: keep the list of a VIP's connections; after a takeover, wake those clients up.</summary>
internal static class TickleCommand
{
    public const string Usage = """
               storageha-node tickle record --vip IP --ports P1,P2,… --dir DIR [--interval SECONDS] [--once]
               storageha-node tickle send --vip IP --dir DIR [--rounds 3] [--interval 1.1]
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var verb = args.FirstOrDefault();
        if (verb is not ("record" or "send")) return Refuse(error, verb is null ? "record or send?" : $"unknown tickle command '{verb}'");
        var problems = new List<string>();
        var forSend = verb == "send";
        // CTDB's 1.1 s: Linux answers an out-of-window segment at most once per 500 ms per socket (tcp_invalid_ratelimit).
        var options = TickleOptions.Parse(args[1..], forSend, TimeSpan.FromSeconds(forSend ? 1.1 : 1), problems);
        if (options is null)
        {
            foreach (var problem in problems) error.WriteLine($"storageha-node tickle {verb}: {problem}");
            error.WriteLine(Cli.Usage);
            return 2;
        }
        return forSend ? Send(options, output, error) : Record(options, output, error);
    }

    private static int Record(TickleOptions options, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        return new RecordLoop(options, output, error).Run(stop.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // end the loop between passes, never in the middle of a write
            stop.Cancel();
        }
    }

    private static int Send(TickleOptions options, TextWriter output, TextWriter error)
    {
        var path = options.ListFile;
        string? text;
        try
        {
            text = ListFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"storageha-node tickle send: cannot read {path}: {e.Message}");
            return 1;
        }
        if (text is null)
        {
            output.WriteLine($"{path} does not exist: no connections recorded for {options.Vip}, nothing to do");
            return 0;
        }

        var reading = TickleList.Parse(text);
        foreach (var problem in reading.Problems) error.WriteLine($"storageha-node tickle send: {path}:{problem.Line}: {problem.Message} (skipped)");
        var vip = Endpoints.Normalise(options.Vip);
        var connections = new List<VipConnection>();
        foreach (var connection in reading.Connections)
        {
            if (connection.Vip.Address.Equals(vip)) connections.Add(connection);
            else error.WriteLine($"storageha-node tickle send: {path}: {TickleList.Endpoint(connection.Vip)} is not on {vip} (skipped)");
        }
        if (connections.Count == 0)
        {
            output.WriteLine($"{path}: no connections to tickle for {vip}, nothing to do");
            return 0;
        }

        using var sender = new TickleSender(vip);
        var anySent = false;
        for (var round = 1; round <= options.Rounds; round++)
        {
            if (round > 1) Thread.Sleep(options.Interval);
            var clock = Stopwatch.StartNew();
            var sent = 0;
            foreach (var connection in connections)
            {
                try
                {
                    if (sender.Send(connection, out var problem)) sent++;
                    else if (round == 1) error.WriteLine($"storageha-node tickle send: {problem}");
                }
                catch (TickleRefusedException e)
                {
                    error.WriteLine($"storageha-node tickle send: {e.Message}");
                    return 1;
                }
            }
            anySent |= sent > 0;
            output.WriteLine($"round {round}/{options.Rounds}: {sent} of {connections.Count} tickle(s) sent from {vip} in {clock.Elapsed.TotalMilliseconds:F1} ms");
            output.Flush();
        }
        return anySent ? 0 : 1;
    }

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"storageha-node tickle: {message}");
        error.WriteLine(Cli.Usage);
        return 2;
    }
}
