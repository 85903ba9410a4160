using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>The API's JSON rules: camelCase, enums as names, and unknown fields refused rather than ignored.</summary>
public static class ApiJson
{
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.PropertyNameCaseInsensitive = true;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.RespectRequiredConstructorParameters = true;
        o.RespectNullableAnnotations = true;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    }

    private static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }

    /// <summary>Reads the request body, turning every JSON problem into a 400 that names the offending field.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException("body", "must be JSON (Content-Type: application/json)");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted)
                ?? throw new InvalidInputException("body", "must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException(FieldOf(e), Explain(e));
        }
    }

    // "$.nodes[1].sshPort" → "nodes[1].sshPort"; a missing required member is named only in the message.
    private static string FieldOf(JsonException e)
    {
        var path = e.Path is null or "$" ? "" : e.Path.TrimStart('$').TrimStart('.');
        const string missing = "missing required properties including: ";
        var at = e.Message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            var names = e.Message[(at + missing.Length)..].Split('\'', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length > 0) return path.Length == 0 ? names[0] : $"{path}.{names[0]}";
        }
        return path.Length == 0 ? "body" : path;
    }

    private static string Explain(JsonException e) => e.Message switch
    {
        var m when m.Contains("could not be mapped", StringComparison.Ordinal) => "is not a known field",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) => "is required",
        var m when m.Contains("null", StringComparison.OrdinalIgnoreCase) && m.Contains("non-nullable", StringComparison.OrdinalIgnoreCase) => "must not be null",
        _ when e.Path is null or "$" => "is not valid JSON",
        _ => "has the wrong type or is not valid JSON",
    };
}
