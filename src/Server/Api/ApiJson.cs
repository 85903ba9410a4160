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

    // "$.nodes[1].sshPort" → "nodes[1].sshPort"; unknown members name themselves in the message.
    private static string FieldOf(JsonException e)
    {
        var path = e.Path is null or "$" ? null : e.Path.TrimStart('$').TrimStart('.');
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = e.Message.IndexOf('\'') + 1;
            var end = e.Message.IndexOf('\'', start);
            if (start > 0 && end > start) return (path is null ? "" : path + ".") + e.Message[start..end];
        }
        if (e.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var start = e.Message.IndexOf('\'') + 1;
            var end = e.Message.IndexOf('\'', start);
            if (start > 0 && end > start) return (path is null ? "" : path + ".") + e.Message[start..end];
        }
        return string.IsNullOrEmpty(path) ? "body" : path;
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
