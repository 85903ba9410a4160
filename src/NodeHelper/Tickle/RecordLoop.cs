using StorageHa.Shared.Tickle;

namespace StorageHa.NodeHelper.Tickle;

/// <summary>
/// <c>tickle record</c>: writes the VIP's established connections to DIR/IP, once or every interval, touching the file
/// only when the list changed, so an idle loop costs two /proc reads a pass and no disk writes.
/// </summary>
internal sealed class RecordLoop(TickleOptions options, TextWriter output, TextWriter error)
{
    private string? _written;

    public int Run(CancellationToken stop)
    {
        if (!Directory.Exists(options.Directory))
        {
            error.WriteLine($"storageha-node tickle record: {options.Directory} does not exist (is the shared storage mounted?)");
            return 1;
        }
        _written = ListFile.Read(options.ListFile);
        if (options.Once) return Pass(reportUnchanged: true) ? 0 : 1;

        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            Pass(reportUnchanged: false); // a failed pass is reported and retried at the next tick: the loop must outlive a storage hiccup
        }
        while (Wait(timer, stop));
        return 0;
    }

    /// <summary>One record: read the kernel's table, and replace the list if it differs from what was last written.</summary>
    public bool Pass(bool reportUnchanged)
    {
        try
        {
            var connections = KernelConnections.To(options.Vip, options.Ports);
            var text = TickleList.Format(connections);
            if (text == _written)
            {
                if (reportUnchanged) output.WriteLine($"{options.ListFile}: {connections.Count} connection(s), unchanged");
                return true;
            }
            ListFile.Replace(options.ListFile, text);
            _written = text;
            output.WriteLine($"{options.ListFile}: {connections.Count} connection(s) recorded");
            output.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"storageha-node tickle record: cannot record to {options.ListFile}: {e.Message}");
            error.Flush();
            return false;
        }
    }

    private static bool Wait(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return timer.WaitForNextTickAsync(stop).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
