using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>
/// The messages a form shows under its fields, from the client's own rules and from the server's refusals alike,
/// so a form has one place to look whichever side said no.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _general = [];

    public bool Any => _byField.Count > 0 || _general.Count > 0;

    /// <summary>Messages that belong to no field the form shows (e.g. a rule about the whole cluster).</summary>
    public IReadOnlyList<string> General => _general;

    public void Clear()
    {
        _byField.Clear();
        _general.Clear();
    }

    /// <summary>Records a message for a field; "nodes[2].address" is filed under "address". The first message per field wins.</summary>
    public void Add(string? field, string? message)
    {
        if (message is null) return;
        var key = Key(field);
        if (key.Length == 0)
            _general.Add(message);
        else
            _byField.TryAdd(key, message);
    }

    public void Add(InvalidInputException refused)
    {
        foreach (var error in refused.Errors)
            Add(error.Field, error.Message);
    }

    public bool Has(params string[] fields) => Message(fields) is not null;

    /// <summary>The message for the first of these names (a field and its aliases) that has one.</summary>
    public string? Message(params string[] fields)
    {
        foreach (var field in fields)
            if (_byField.TryGetValue(Key(field), out var message))
                return message;
        return null;
    }

    /// <summary>Moves messages for fields the form does not show into <see cref="General"/>, so none is lost.</summary>
    public void KeepOnly(IEnumerable<string> shownFields)
    {
        var shown = shownFields.Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, message) in _byField.Where(e => !shown.Contains(e.Key)).ToList())
        {
            _byField.Remove(field);
            _general.Add(message);
        }
    }

    private static string Key(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
            return "";
        var last = field[(field.LastIndexOf('.') + 1)..];
        var bracket = last.IndexOf('[');
        return bracket >= 0 ? last[..bracket] : last;
    }
}
