using System.Diagnostics;

namespace StorageHa.EndToEnd.Tests;

/// <summary>Waits for what a client or node sees to come true, asking again while the lab's tools fail or time out.</summary>
public static class Eventually
{
    /// <summary>Asks <paramref name="condition"/> every <paramref name="poll"/> until it holds; past <paramref name="limit"/>, fails naming <paramref name="what"/> and the last failure.</summary>
    public static async Task TrueAsync(string what, TimeSpan limit, TimeSpan poll, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < limit)
        {
            try { if (await condition()) return; }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException) { last = e; }
            await Task.Delay(poll);
        }
        throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0} s" + (last is null ? "" : $" (last: {last.Message})"));
    }
}
