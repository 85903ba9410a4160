using System.Globalization;

namespace StorageHa.Server.Serving;

/// <summary>
/// StorageHa:ServiceProbes — how often and how patiently the console asks each VIP's SMB and NFS service from the clients'
/// side. Bounded, so no setting turns the probes into a load on the nodes or the console; checked when the console starts.
/// </summary>
public sealed record ServiceProbeOptions
{
    public const string Section = "StorageHa:ServiceProbes";
    public static readonly TimeSpan FastestInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Off: no probes, and failovers get no clients' outage.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>One probe per VIP and service this often: the clients' outage is known to about this much.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>
    /// A probe not answered within this counts as not served (a client's request that stalls that long). Longer than TCP's
    /// first SYN retransmission (1 s): a connect whose SYN a moving VIP lost is answered by that retransmission, a delay
    /// every client rides out; at exactly 1 s, whether it counted as an outage was a race with the kernel's timer.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);
    /// <summary>Probes in flight at once, over all clusters (a VIP without service has up to Timeout/Interval connects pending).</summary>
    public int MaxConcurrent { get; init; } = 64;
    /// <summary>How long after a failover the probes wait for its clients to be served again before storing it as still out.</summary>
    public TimeSpan ClientOutageWait { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The section's values, or a clear error naming the setting and its bound.</summary>
    public static ServiceProbeOptions From(IConfiguration config)
    {
        var section = config.GetSection(Section);
        var options = new ServiceProbeOptions
        {
            Enabled = Read(section, nameof(Enabled), bool.Parse, true),
            Interval = Read(section, nameof(Interval), Duration, TimeSpan.FromMilliseconds(250)),
            Timeout = Read(section, nameof(Timeout), Duration, DefaultTimeout),
            MaxConcurrent = Read(section, nameof(MaxConcurrent), v => int.Parse(v, CultureInfo.InvariantCulture), 64),
            ClientOutageWait = Read(section, nameof(ClientOutageWait), Duration, TimeSpan.FromMinutes(3)),
        };
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? options : throw new InvalidOperationException(string.Join(" ", errors));
    }

    public IEnumerable<string> Validate()
    {
        if (Interval < FastestInterval)
            yield return $"{Section}:Interval is {Ms(Interval)}: the probes may run no faster than every {Ms(FastestInterval)}.";
        if (Interval > TimeSpan.FromMinutes(1))
            yield return $"{Section}:Interval is {Ms(Interval)}: at most one minute, or a failover's outage is not measured at all.";
        if (Timeout < FastestInterval || Timeout > TimeSpan.FromSeconds(30))
            yield return $"{Section}:Timeout is {Ms(Timeout)}: it must be between {Ms(FastestInterval)} and 30 s.";
        if (MaxConcurrent is < 1 or > 1024)
            yield return $"{Section}:MaxConcurrent is {MaxConcurrent}: it must be between 1 and 1024.";
        if (ClientOutageWait < TimeSpan.FromSeconds(10) || ClientOutageWait > TimeSpan.FromHours(1))
            yield return $"{Section}:ClientOutageWait is {Ms(ClientOutageWait)}: it must be between 10 s and one hour.";
    }

    /// <summary>"250ms", "1.5s" or a TimeSpan ("00:00:00.250").</summary>
    private static TimeSpan Duration(string value)
    {
        var v = value.Trim();
        if (v.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(v[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            return TimeSpan.FromMilliseconds(ms);
        if (v.EndsWith('s') && double.TryParse(v[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
            return TimeSpan.FromSeconds(s);
        return TimeSpan.Parse(v, CultureInfo.InvariantCulture);
    }

    private static T Read<T>(IConfigurationSection section, string key, Func<string, T> parse, T fallback)
    {
        if (section[key] is not { Length: > 0 } value) return fallback;
        try { return parse(value); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidOperationException($"{Section}:{key} is '{value}', which is not a {(typeof(T) == typeof(TimeSpan) ? "duration (\"250ms\", \"1.5s\")" : typeof(T).Name.ToLowerInvariant())}.");
        }
    }

    private static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");
}
