using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;
using static StorageHa.Client.Model.ClusterSettingsForm;

namespace StorageHa.Client.Model;

/// <summary>What the admin declares about the cluster filesystem: nothing (today's behaviour), one the servers mount, or one the cluster mounts.</summary>
public enum StorageChoice { NotDeclared, ByServers, ByCluster }

/// <summary>
/// The cluster filesystem and the shared state on it, as the wizard's Storage step and the Settings tab edit them (one form
/// for both): checked by the spec's own rules, each message filed under its field, the server's refusals too.
/// </summary>
public sealed class StorageForm
{
    public StorageChoice Choice { get; set; }
    public string? MountPoint { get; set; }
    public ClusterFilesystem Type { get; set; } = ClusterFilesystem.GlusterFs;
    public string? Device { get; set; }
    public string? Options { get; set; }
    public string? RecoveryLock { get; set; }
    public string? GaneshaState { get; set; }

    public FieldErrors Errors { get; } = new();

    public static IReadOnlyList<string> ShownFields => ["mountPoint", "type", "device", "options", "recoveryLock", "ganeshaState"];

    /// <summary>Where CTDB's lock and Ganesha's state go on a shared filesystem: its ctdb/reclock and ganesha, as the examples have always said.</summary>
    public static SharedStateSpec StateUnder(string mountPoint) => new()
    {
        RecoveryLock = mountPoint.TrimEnd('/') + "/ctdb/reclock",
        GaneshaState = mountPoint.TrimEnd('/') + "/ganesha",
    };

    public static StorageForm From(StorageSpec? storage, SharedStateSpec? state) => new()
    {
        Choice = storage is null ? StorageChoice.NotDeclared : storage.Mounting == StorageMounting.ByCluster ? StorageChoice.ByCluster : StorageChoice.ByServers,
        MountPoint = storage?.MountPoint,
        Type = storage?.Type ?? ClusterFilesystem.GlusterFs,
        Device = storage?.Device,
        Options = storage?.Options,
        RecoveryLock = state?.RecoveryLock,
        GaneshaState = state?.GaneshaState,
    };

    /// <summary>The storage the form describes; a filesystem the servers mount keeps no device or options (half-typed ones block nothing).</summary>
    public StorageSpec? BuildStorage() => Choice switch
    {
        StorageChoice.ByServers => new StorageSpec { Mounting = StorageMounting.ByServers, MountPoint = Blank(MountPoint) ?? "" },
        StorageChoice.ByCluster => new StorageSpec
        {
            Mounting = StorageMounting.ByCluster, MountPoint = Blank(MountPoint) ?? "", Type = Type, Device = Blank(Device), Options = Blank(Options),
        },
        _ => null,
    };

    /// <summary>The shared state paths; null when neither is given.</summary>
    public SharedStateSpec? BuildSharedState() => Blank(RecoveryLock) is null && Blank(GaneshaState) is null
        ? null
        : new SharedStateSpec { RecoveryLock = Blank(RecoveryLock), GaneshaState = Blank(GaneshaState) };

    /// <summary>
    /// The shared state paths that should move onto the declared filesystem: unset or outside its mount point, for what the cluster
    /// serves. Empty when nothing is declared, the mount point is not yet a path, or both already lie under it.
    /// </summary>
    public SharedStateSpec? StateToMove(bool smb, bool nfs)
    {
        if (BuildStorage() is not { } storage || !storage.MountPoint.StartsWith('/') || storage.MountPoint == "/") return null;
        var under = StateUnder(storage.MountPoint);
        var recoveryLock = smb && (Blank(RecoveryLock) is not { } l || !storage.Holds(l)) ? under.RecoveryLock : null;
        var ganeshaState = nfs && (Blank(GaneshaState) is not { } g || !storage.Holds(g)) ? under.GaneshaState : null;
        return recoveryLock is null && ganeshaState is null ? null : new SharedStateSpec { RecoveryLock = recoveryLock, GaneshaState = ganeshaState };
    }

    /// <summary>Puts the shared state paths <see cref="StateToMove"/> names under the mount point.</summary>
    public void MoveStateUnderMountPoint(bool smb, bool nfs)
    {
        if (StateToMove(smb, nfs) is not { } move) return;
        RecoveryLock = move.RecoveryLock ?? RecoveryLock;
        GaneshaState = move.GaneshaState ?? GaneshaState;
    }

    /// <summary>Checks the storage and the shared state with the spec's own rules; true when nothing is wrong.</summary>
    public bool Check()
    {
        Errors.Clear();
        var spec = new ClusterSpec { Name = "check", Storage = BuildStorage(), SharedState = BuildSharedState() };
        Show(spec.Validate().Where(e => Owns(e.Field)));
        return !Errors.Any;
    }

    /// <summary>Files each error about storage or shared state under its field (e.g. "storage.device" under the device).</summary>
    public void Show(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors.Where(e => Owns(e.Field))) Errors.Add(error.Field, error.Message);
        Errors.KeepOnly(ShownFields);
    }

    /// <summary>Whether an error's field is this form's: the storage's or the shared state's.</summary>
    public static bool Owns(string field) =>
        field.StartsWith("storage.", StringComparison.Ordinal) || field.StartsWith("sharedState.", StringComparison.Ordinal);
}
