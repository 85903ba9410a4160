using System.Net.Sockets;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>Turns what went wrong into a sentence a storage admin can act on.</summary>
public static class ErrorText
{
    public static string Describe(Exception error) => error switch
    {
        InvalidInputException refused => string.Join(" ", refused.Errors.Select(e => e.Message)),
        ConflictException conflict => conflict.Message,
        TimeoutException => "The node did not answer in time. Check that it is up and reachable, then try again.",
        OperationCanceledException => "The action was cancelled before it finished.",
        SocketException socket => $"Could not reach the node: {socket.Message}",
        UnauthorizedAccessException => "You are not allowed to do this. Ask an admin for the Operator role.",
        KeyNotFoundException => "It no longer exists; someone may have removed it. Reload the page.",
        _ => $"It did not work: {error.Message}",
    };
}
