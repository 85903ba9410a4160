using Microsoft.AspNetCore.SignalR;

namespace StorageHa.Server.Auth;

/// <summary>
/// A hub connection lives for hours on the session or token it opened with: every call asks again, and an idle
/// listener is asked every half minute, so a removed or signed-out user's, or a revoked token's, connection is closed.
/// </summary>
public sealed class HubSessionCheck(SignedInUsers signedIn, ILogger<HubSessionCheck> logger) : IHubFilter
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!await StillSignedInAsync(invocation.Context))
            throw new HubException("Your session has ended: sign in again.");
        return await next(invocation);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        _ = WatchAsync(context.Context);
    }

    private async Task WatchAsync(HubCallerContext connection)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, connection.ConnectionAborted);
                if (!await StillSignedInAsync(connection)) return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not check the session of hub connection {Connection}; closing it", connection.ConnectionId);
            connection.Abort();
        }
    }

    private async Task<bool> StillSignedInAsync(HubCallerContext connection)
    {
        if (connection.User is { } user && await signedIn.NowAsync(user) is not null) return true;
        connection.Abort();
        return false;
    }
}
