using System.Globalization;
using System.Net;
using StorageHa.Shared.Tickle;
using StorageHa.Shared.Validation;

namespace StorageHa.NodeHelper.Tickle;

/// <summary>The options of <c>tickle record</c> and <c>tickle send</c>, each checked before anything touches the node.</summary>
internal sealed record TickleOptions(IPAddress Vip, string Directory, IReadOnlySet<int> Ports, TimeSpan Interval, int Rounds, bool Once)
{
    public const double MaxIntervalSeconds = 3600;
    public const int MaxRounds = 20;

    /// <summary>DIR/IP, the VIP's connection list; the address in its canonical form so record and send agree on the name.</summary>
    public string ListFile => Path.Combine(Directory, Endpoints.Canonical(Vip));

    /// <summary>The options, or null after writing each problem to <paramref name="problems"/>.</summary>
    public static TickleOptions? Parse(string[] args, bool forSend, TimeSpan defaultInterval, List<string> problems)
    {
        string? vip = null, dir = null, ports = null, interval = null, rounds = null;
        var once = false;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option == "--once" && !forSend) { once = true; continue; }
            var known = forSend ? option is "--vip" or "--dir" or "--rounds" or "--interval" : option is "--vip" or "--dir" or "--ports" or "--interval";
            if (!known) { problems.Add($"unknown option '{option}'"); continue; }
            if (i + 1 >= args.Length) { problems.Add($"{option} needs a value"); continue; }
            var value = args[++i];
            switch (option)
            {
                case "--vip": vip = value; break;
                case "--dir": dir = value; break;
                case "--ports": ports = value; break;
                case "--interval": interval = value; break;
                default: rounds = value; break;
            }
        }

        if (InputRules.IpAddress(vip) is { } vipProblem) problems.Add($"--vip: {vipProblem}");
        if (InputRules.AbsolutePath(dir) is { } dirProblem) problems.Add($"--dir: {dirProblem}");
        var portSet = forSend ? new HashSet<int>() : ParsePorts(ports, problems);
        var every = defaultInterval;
        if (interval is not null)
        {
            if (double.TryParse(interval, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxIntervalSeconds)
                every = TimeSpan.FromSeconds(seconds);
            else problems.Add($"--interval: '{interval}' is not a number of seconds (more than 0, at most {MaxIntervalSeconds})");
        }
        var roundCount = 3;
        if (rounds is not null && !(int.TryParse(rounds, NumberStyles.None, CultureInfo.InvariantCulture, out roundCount) && roundCount is >= 1 and <= MaxRounds))
            problems.Add($"--rounds: '{rounds}' is not a whole number from 1 to {MaxRounds}");

        return problems.Count > 0 ? null : new TickleOptions(IPAddress.Parse(vip!), dir!, portSet, every, roundCount, once);
    }

    private static HashSet<int> ParsePorts(string? ports, List<string> problems)
    {
        var set = new HashSet<int>();
        if (string.IsNullOrEmpty(ports))
        {
            problems.Add("--ports: is required (e.g. --ports 445,2049)");
            return set;
        }
        foreach (var part in ports.Split(','))
        {
            if (int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && InputRules.Port(port) is null) set.Add(port);
            else problems.Add($"--ports: '{part}' is not a TCP port (1–65535)");
        }
        return set;
    }
}
