namespace StorageHa.Shared.Validation;

/// <summary>One thing wrong with an input, named by its field path (e.g. "address", "vips[2].prefix").</summary>
public sealed record ValidationError(string Field, string Message);

/// <summary>Input that was refused before anything was stored or run.</summary>
public sealed class InvalidInputException(IReadOnlyList<ValidationError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;

    public InvalidInputException(string field, string message) : this([new ValidationError(field, message)]) { }
}

/// <summary>The change would break a rule of the inventory (a duplicate name, address, VIP…).</summary>
public sealed class ConflictException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
