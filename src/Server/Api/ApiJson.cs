using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>The API's JSON rules: camelCase, enums as names, and unknown fields refused rather than ignored.</summary>
public static partial class ApiJson
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
        o.Converters.Add(new ExactEnumNames());
    }

    /// <summary>
    /// Enums by their names only (any case). The framework's converter goes through Enum.TryParse, which also takes
    /// "Admin\n", " Viewer" or "Viewer, Admin" (a role OR-ed from two). The OpenAPI document lists the names (ApiDocs).
    /// </summary>
    private sealed class ExactEnumNames : JsonConverterFactory
    {
        public override bool CanConvert(Type type) => type.IsEnum;

        public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(type))!;

        private sealed class Exact<T> : JsonConverter<T> where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.String && reader.GetString() is { } text
                    && Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name
                    ? Enum.Parse<T>(name)
                    : throw new JsonException($"must be one of {string.Join(", ", Enum.GetNames<T>())}");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
        }
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
        if (!IsJson(request.ContentType))
            throw new InvalidInputException("body", "must be JSON (Content-Type: application/json)");
        // Kestrel stops a longer body as it arrives; this also answers a declared one before reading it.
        if (request.ContentLength > MaxBodyBytes)
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted)
                ?? throw new InvalidInputException("body", "must be a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>A document already read and changed (a merged PATCH), held to the same rules as a body.</summary>
    public static T Convert<T>(JsonNode document) where T : class
    {
        try
        {
            return document.Deserialize<T>(Options) ?? throw new InvalidInputException("body", "must be a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;

    /// <summary>
    /// RFC 7396 JSON merge patch: a member of the patch replaces the target's (objects merge member by member, names
    /// matched as the API matches them, ignoring case), and null removes it.
    /// </summary>
    public static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            var existing = target.Select(m => m.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            if (value is null) target.Remove(existing);
            else if (value is JsonObject inner && target[existing] is JsonObject outer) MergePatch(outer, inner);
            else target[existing] = value.DeepClone();
        }
    }

    // application/json, and its kinds such as application/merge-patch+json.
    private static bool IsJson(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim() is var media
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static InvalidInputException Invalid(JsonException e) => new(FieldOf(e), Explain(e));

    /// <summary>
    /// What was wrong with a route's bound parameter (a query value, a route value, a body bound by the framework), by its
    /// name: the framework says it only in its message, e.g. 'Failed to bind parameter "int? take" from "x"'.
    /// </summary>
    public static ValidationError Explain(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json) return Invalid(json).Errors[0];
        var message = e.Message;
        var field = ParameterName().Match(message) is { Success: true } m ? m.Groups["name"].Value : "body";
        // A body bound as a whole is named as the API names it everywhere: "body".
        if (new[] { "from body", "request body", "no body" }.Any(b => message.Contains(b, StringComparison.Ordinal))) field = "body";
        return message.StartsWith("Required parameter", StringComparison.Ordinal) || message.Contains("no body was provided", StringComparison.Ordinal)
            ? new(field, "is required")
            : new(field, "has the wrong type or is not valid");
    }

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[^\" ]+)\"")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

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
