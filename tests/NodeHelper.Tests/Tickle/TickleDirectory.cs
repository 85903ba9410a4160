namespace StorageHa.NodeHelper.Tests.Tickle;

/// <summary>A fresh tickle directory under /tmp for one test, removed afterwards.</summary>
internal sealed class TickleDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("shat-tickle-").FullName;

    public string ListOf(string vip) => System.IO.Path.Combine(Path, vip);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
