using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace StorageHa.TestSupport.Lab;

/// <summary>
/// Runs code with its sockets inside a named network namespace (/run/netns/NAME) such as the lab's client
/// namespace, without moving the test process: a socket belongs to the namespace it was created in, so work done
/// on a thread that entered the namespace opens sockets there, and they keep working from any thread afterwards.
/// </summary>
public static class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    /// <summary>Runs <paramref name="work"/> on a fresh thread that lives in namespace <paramref name="name"/>.</summary>
    public static T Run<T>(string name, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle($"/run/netns/{name}"))
                    if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                        throw new IOException($"cannot enter network namespace {name}: errno {Marshal.GetLastPInvokeError()}");
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = $"netns {name}" };
        thread.Start();
        thread.Join(); // the thread ends here and takes the namespace with it: no other work ever runs in it
        failure?.Throw();
        return result;
    }

    /// <summary>Whether a TCP connection from namespace <paramref name="name"/> to address:port is accepted within the timeout.</summary>
    public static bool CanConnect(string name, string address, int port, TimeSpan timeout) => Run(name, () =>
    {
        var ip = IPAddress.Parse(address);
        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(ip, port, deadline.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    });
}
