namespace StorageHa.Shared.State;

/// <summary>crm_mon's output could not be read as a cluster state; the message says what is wrong with it.</summary>
public sealed class CrmMonParseException : Exception
{
    public CrmMonParseException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The errors crm_mon itself reported (e.g. "Could not connect to the CIB"), if any.</summary>
    public IReadOnlyList<string> CrmMonErrors { get; init; } = [];
}
