using StorageHa.Shared.Provisioning;
using SharedBatch = StorageHa.Shared.Provisioning.CibBatch;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// Applies a plan's CIB batch with the real <c>pcs -f</c> to a copy of a CIB, in a temporary directory on the console
/// machine — an empty CIB (<c>cibadmin --empty</c>) when there is no cluster yet. Nothing is pushed anywhere.
/// </summary>
public static class OfflineCib
{
    /// <summary>An empty CIB, as a new cluster starts with.</summary>
    public static async Task<string> EmptyAsync(CancellationToken ct = default)
    {
        using var work = new WorkDirectory();
        var result = await LocalTool.RunAsync(["cibadmin", "--empty"], work.Path, ct: ct);
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"cibadmin --empty failed: {result.Error}");
    }

    /// <summary>
    /// Runs every batch command on a copy of <paramref name="cibXml"/> (null: an empty CIB), stopping at the first failure.
    /// With <paramref name="runChecks"/> each command's check runs first and a command already done is skipped
    /// (pointless on an empty CIB, where nothing is done yet: it only costs a cibadmin call each).
    /// </summary>
    public static async Task<CibBatchResult> ApplyAsync(Plan plan, string? cibXml = null, bool runChecks = true, CancellationToken ct = default)
    {
        cibXml ??= await EmptyAsync(ct);
        using var work = new WorkDirectory();
        var file = Path.Combine(work.Path, SharedBatch.File);
        await File.WriteAllTextAsync(file, cibXml, ct);
        var runs = new List<CibCommandRun>();
        foreach (var step in plan.CibBatch)
        {
            if (runChecks && step.Check is { } check && (await LocalTool.RunAsync(check, work.Path, ct: ct)).Succeeded)
            {
                runs.Add(new(step, true, null));
                continue;
            }
            var result = await LocalTool.RunAsync(step.Argv, work.Path, ct: ct);
            var run = new CibCommandRun(step, false, result);
            runs.Add(run);
            if (!result.Succeeded) return new(await File.ReadAllTextAsync(file, ct), runs, run);
        }
        return new(await File.ReadAllTextAsync(file, ct), runs, null);
    }
}

/// <summary>A private temporary directory, removed with everything in it.</summary>
internal sealed class WorkDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("storageha-cib-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
