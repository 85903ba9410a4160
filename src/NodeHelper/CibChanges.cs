using System.Runtime.InteropServices;

namespace StorageHa.NodeHelper;

/// <summary>
/// Pacemaker's own notice of every CIB change (libcib: cib_new, signon as a reader, add_notify_callback for
/// cib_diff_notify), dispatched by a GLib main loop on a thread of its own. Loaded at run time, so the helper still runs
/// on a node without Pacemaker's libraries (it then says so and the console polls). One per process: libcib's callbacks
/// carry no user data.
/// </summary>
internal sealed unsafe class CibChanges : IDisposable
{
    // Pacemaker 2.1's soname (Debian 12, Ubuntu 22.04/24.04, RHEL 9); the unversioned name where a -dev package is installed.
    private static readonly string[] CibLibraries = ["libcib.so.27", "libcib.so"];
    private const string GLib = "libglib-2.0.so.0";
    private const int CibNative = 1, CibDisconnected = 2, CibQuery = 1;

    private static CibChanges? _current;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Cib* _cib;
    private volatile string? _lost;

    private CibChanges(Cib* cib) => _cib = cib;

    /// <summary>Why the watch ended: the connection to the CIB was lost (Pacemaker stopped or restarted).</summary>
    public string? Lost => _lost;

    /// <summary>Signs on to the local CIB and subscribes to its changes; null and the reason when this node cannot.</summary>
    public static CibChanges? Connect(out string why)
    {
        if (_current is not null) throw new InvalidOperationException("One CIB watch per process.");
        nint cibLibrary = 0;
        foreach (var name in CibLibraries)
            if (NativeLibrary.TryLoad(name, out cibLibrary)) break;
        if (cibLibrary == 0 || !NativeLibrary.TryLoad(GLib, out var glib))
        {
            why = $"Pacemaker's CIB library ({CibLibraries[0]}) or GLib ({GLib}) is not installed here (package libcib27 / libglib2.0-0)";
            return null;
        }
        var cibNew = (delegate* unmanaged<Cib*>)NativeLibrary.GetExport(cibLibrary, "cib_new");
        var cib = cibNew();
        // A layout this helper does not know (another Pacemaker ABI) shows in the first fields of a fresh connection object.
        if (cib is null || cib->Variant != CibNative || cib->State != CibDisconnected || cib->Commands is null)
        {
            why = "cib_new gave a connection this helper does not understand (not Pacemaker 2.1's libcib, or CIB_file/CIB_port set)";
            return null;
        }
        var changes = _current = new CibChanges(cib);
        var rc = cib->Commands->Signon(cib, NodeHelperName, CibQuery);
        if (rc != 0)
        {
            why = $"cannot sign on to the CIB (error {-rc}: {Marshal.GetPInvokeErrorMessage(-rc)}): is Pacemaker running here?";
            changes.Dispose();
            return null;
        }
        cib->Commands->SetConnectionDnotify(cib, &OnDisconnect);
        rc = cib->Commands->AddNotifyCallback(cib, DiffNotify, &OnChange);
        if (rc != 0)
        {
            why = $"the CIB refused the change notifications (error {-rc}: {Marshal.GetPInvokeErrorMessage(-rc)})";
            changes.Dispose();
            return null;
        }
        var loopNew = (delegate* unmanaged<nint, int, nint>)NativeLibrary.GetExport(glib, "g_main_loop_new");
        var loopRun = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(glib, "g_main_loop_run");
        var loop = loopNew(0, 0);
        new Thread(() => loopRun(loop)) { IsBackground = true, Name = "cib notifications" }.Start();
        why = "";
        return changes;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a change since the last call; true when there was one.</summary>
    public bool WaitForChange(TimeSpan timeout) => _changed.Wait(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);

    /// <summary>Forgets a change already seen (the state about to be read includes it).</summary>
    public void Forget() => _changed.Wait(0);

    private void Signal()
    {
        try { _changed.Release(); }
        catch (SemaphoreFullException) { /* one pending change stands for any number: they are read together */ }
    }

    [UnmanagedCallersOnly]
    private static void OnChange(byte* eventName, nint message) => _current?.Signal();

    [UnmanagedCallersOnly]
    private static void OnDisconnect(nint userData)
    {
        if (_current is not { } current) return;
        current._lost = "the connection to the CIB was lost (Pacemaker stopped or restarted here)";
        current.Signal();
    }

    public void Dispose()
    {
        // The process ends right after; signing off tells the CIB at once rather than when it notices the socket closed.
        if (_lost is null) _cib->Commands->Signoff(_cib);
        _current = null;
    }

    // C strings for the process's life: libcib may keep the pointers it is given.
    private static readonly byte* NodeHelperName = (byte*)Marshal.StringToHGlobalAnsi("storageha-node");
    private static readonly byte* DiffNotify = (byte*)Marshal.StringToHGlobalAnsi("cib_diff_notify");

    // struct cib_s and the head of cib_api_operations_s (include/crm/cib/cib_types.h), as far as this helper uses them.
    [StructLayout(LayoutKind.Sequential)]
    private struct Cib
    {
        public int State, Type, Variant, CallId, CallTimeout;
        public nint VariantOpaque, DelegateFn, NotifyList, OpCallback;
        public CibCommands* Commands;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CibCommands
    {
        public delegate* unmanaged<Cib*, byte*, int, int> Signon;
        public nint SignonRaw;
        public delegate* unmanaged<Cib*, int> Signoff;
        public nint Free;
        public nint SetOpCallback;
        public delegate* unmanaged<Cib*, byte*, delegate* unmanaged<byte*, nint, void>, int> AddNotifyCallback;
        public nint DelNotifyCallback;
        public delegate* unmanaged<Cib*, delegate* unmanaged<nint, void>, int> SetConnectionDnotify;
    }
}
